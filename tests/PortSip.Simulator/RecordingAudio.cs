using System.Buffers.Binary;

namespace PortSip.Simulator;

/// <summary>
/// Generates recording bytes on demand, deterministically from the recording id: a WAV file is a
/// 44-byte RIFF/WAVE header (PCM, 8 kHz, 16-bit, mono) whose sizes match the file, then pseudo-random
/// samples; an MP3 file is a train of 417-byte MPEG-1 Layer III frames. Nothing is held in memory,
/// so a file can be gigabytes long.
/// </summary>
public static class RecordingAudio
{
    public const int WavHeaderSize = 44;
    public const int SampleRate = 8000;
    public const short BitsPerSample = 16;
    public const short Channels = 1;

    /// <summary>Opens the exact bytes the blob download serves for a recording.</summary>
    public static Stream Open(SimRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return new RecordingContentStream(recording.Id, recording.Size, recording.IsMp3);
    }

    /// <summary>The 44-byte WAV header for a file of <paramref name="fileSize"/> bytes.</summary>
    public static byte[] WavHeader(long fileSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fileSize, WavHeaderSize);
        var header = new byte[WavHeaderSize];
        Span<byte> h = header;
        uint riffSize = (uint)Math.Min(fileSize - 8, uint.MaxValue);
        uint dataSize = (uint)Math.Min(fileSize - WavHeaderSize, uint.MaxValue);
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], riffSize);
        "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(h[22..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], SampleRate * Channels * BitsPerSample / 8);
        BinaryPrimitives.WriteInt16LittleEndian(h[32..], (short)(Channels * BitsPerSample / 8));
        BinaryPrimitives.WriteInt16LittleEndian(h[34..], BitsPerSample);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], dataSize);
        return header;
    }

    /// <summary>A stable 64-bit seed for an id (FNV-1a), independent of process and runtime.</summary>
    internal static ulong SeedOf(string id)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>SplitMix64: a well-mixed value for any counter, so any position can be generated directly.</summary>
    internal static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}

/// <summary>A seekable, read-only stream over generated recording bytes (see <see cref="RecordingAudio"/>).</summary>
public sealed class RecordingContentStream : Stream
{
    private const int Mp3FrameSize = 417;
    private static readonly byte[] Mp3FrameHeader = [0xFF, 0xFB, 0x90, 0x64];

    private readonly ulong _seed;
    private readonly long _length;
    private readonly bool _mp3;
    private readonly byte[] _wavHeader;
    private long _position;

    public RecordingContentStream(string recordingId, long length, bool mp3)
    {
        ArgumentNullException.ThrowIfNull(recordingId);
        _seed = RecordingAudio.SeedOf(recordingId);
        _length = length;
        _mp3 = mp3;
        _wavHeader = mp3 ? [] : RecordingAudio.WavHeader(length);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = (int)Math.Min(buffer.Length, Math.Max(0, _length - _position));
        Fill(_position, buffer[..count]);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Fill(long position, Span<byte> target)
    {
        int written = 0;
        while (written < target.Length)
        {
            long p = position + written;
            if (!_mp3 && p < RecordingAudio.WavHeaderSize)
            {
                int n = Math.Min(target.Length - written, RecordingAudio.WavHeaderSize - (int)p);
                _wavHeader.AsSpan((int)p, n).CopyTo(target[written..]);
                written += n;
                continue;
            }

            int inFrame = (int)(p % Mp3FrameSize);
            if (_mp3 && inFrame < Mp3FrameHeader.Length)
            {
                target[written++] = Mp3FrameHeader[inFrame];
                continue;
            }

            int run = target.Length - written;
            if (_mp3)
            {
                run = Math.Min(run, Mp3FrameSize - inFrame);
            }

            FillNoise(p, target.Slice(written, run));
            written += run;
        }
    }

    /// <summary>Byte <c>p</c> of the noise is byte <c>p % 8</c> (little-endian) of <c>Mix(seed + p / 8)</c>.</summary>
    private void FillNoise(long position, Span<byte> target)
    {
        int i = 0;
        for (; i < target.Length && ((position + i) & 7) != 0; i++)
        {
            target[i] = NoiseByte(position + i);
        }

        for (; target.Length - i >= 8; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(target[i..], RecordingAudio.Mix(_seed + (ulong)((position + i) >> 3)));
        }

        for (; i < target.Length; i++)
        {
            target[i] = NoiseByte(position + i);
        }
    }

    private byte NoiseByte(long position) =>
        (byte)(RecordingAudio.Mix(_seed + (ulong)(position >> 3)) >> (int)((position & 7) * 8));
}
