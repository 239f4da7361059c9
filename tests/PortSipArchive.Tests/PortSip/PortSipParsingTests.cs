using System.Text.Json;
using PortSipArchive.PortSip;

namespace PortSipArchive.Tests.PortSip;

public sealed class PortSipParsingTests
{
    private static ParsedItem<PortSipCdr> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return PortSipItemParser.Cdr(doc.RootElement);
    }

    [Theory]
    [InlineData("2024-08-20T06:00:59Z", 0)]
    [InlineData("2024-08-20T06:00:59.4Z", 4_000_000)]
    [InlineData("2024-08-20T06:00:59.457188Z", 4_571_880)]
    [InlineData("2024-08-20T14:00:59.457188+08:00", 4_571_880)]
    public void Timestamps_with_0_to_6_fraction_digits(string text, long fractionTicks)
    {
        var cdr = Parse($$"""{"id":"878156644691742720","started_at":"{{text}}","answered_at":"","ended_at":null,"duration":"35"}""").Value;

        Assert.Equal(new DateTimeOffset(2024, 8, 20, 6, 0, 59, TimeSpan.Zero).AddTicks(fractionTicks), cdr.StartedAt);
        Assert.Equal(TimeSpan.Zero, cdr.StartedAt.Offset);
        Assert.Null(cdr.AnsweredAt);
        Assert.Null(cdr.EndedAt);
        Assert.Equal(35, cdr.Duration);
    }

    [Fact]
    public void Numeric_64_bit_ids_keep_every_digit_and_unknown_enums_stay_strings()
    {
        var cdr = Parse("""{"id":878156644691742721,"started_at":"2024-08-20T06:00:59Z","direction":"SOME_FUTURE_KIND","new_field":{"a":1}}""").Value;

        Assert.Equal("878156644691742721", cdr.Id);
        Assert.Equal("SOME_FUTURE_KIND", cdr.Direction);
        Assert.Equal("""{"a":1}""", cdr.Fields["new_field"]);
    }

    [Theory]
    [InlineData("""{"started_at":"2024-08-20T06:00:59Z"}""", null, "id")]
    [InlineData("""{"id":"42","started_at":"yesterday"}""", "42", "started_at")]
    [InlineData("""{"id":"42","started_at":""}""", "42", "started_at")]
    [InlineData("""{"id":"42","started_at":"2024-08-20T06:00:59Z","duration":"abc"}""", "42", "duration")]
    [InlineData("""{"id":"42","started_at":"2024-08-20T06:00:59Z","status_code":1.5}""", "42", "status_code")]
    public void Unreadable_items_name_the_id_and_the_field(string json, string? id, string field)
    {
        var item = Parse(json);

        Assert.False(item.IsValid);
        Assert.Equal(id, item.Error!.ItemId);
        Assert.Equal(field, item.Error.Field);
        Assert.Equal(json, item.Error.RawJson);
    }

    [Theory]
    [InlineData("877828121322061824_878156644691742720_102_45060_08202024_140059.wav", "878156644691742720")]
    [InlineData("877828121322061824_102_08202024_140059.wav", null)]
    [InlineData("", null)]
    public void Cdr_id_from_the_file_name(string name, string? cdrId) =>
        Assert.Equal(cdrId, RecordingFileName.TryGetCdrId(name));
}
