using System.Text.Json;
using PortSipArchive.Archive;

namespace PortSipArchive.Recordings;

/// <summary>Reads the queue message the sync sends (<see cref="RecordingMessage"/>, JSON after the queue's Base64).</summary>
public static class RecordingMessageReader
{
    /// <summary>Parses and checks the message; a malformed one throws <see cref="FormatException"/> (it ends in the poison queue).</summary>
    public static RecordingMessage Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        RecordingMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<RecordingMessage>(text, RecordingMessage.Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The recording queue message is not valid JSON: {ex.Message}", ex);
        }

        if (message is null
            || string.IsNullOrWhiteSpace(message.Source)
            || string.IsNullOrWhiteSpace(message.RecordingId)
            || string.IsNullOrWhiteSpace(message.PartitionKey)
            || string.IsNullOrWhiteSpace(message.RowKey))
        {
            throw new FormatException("The recording queue message needs source, recordingId, partitionKey and rowKey.");
        }

        return message;
    }
}
