using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorCommandLineTests
{
    [Fact]
    public void Defaults_apply_when_no_arguments_are_given()
    {
        Assert.Equal(new CommandLine(8887, 42, 2000, 7, 120, false), CommandLine.Parse([]));
    }

    [Fact]
    public void All_options_are_read()
    {
        CommandLine parsed = CommandLine.Parse(["--port", "0", "--seed", "-3", "--calls", "10", "--days", "1.5", "--visibility-delay-seconds", "0"]);

        Assert.Equal(new CommandLine(0, -3, 10, 1.5, 0, false), parsed);
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--port", "99999")]
    [InlineData("--calls", "many")]
    [InlineData("--days", "0")]
    [InlineData("--visibility-delay-seconds", "-1")]
    [InlineData("--colour", "blue")]
    public void Bad_arguments_are_rejected_with_a_message(params string[] args)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Options_span_the_given_days_ending_now()
    {
        DateTimeOffset now = new(2026, 1, 8, 9, 0, 0, TimeSpan.Zero);

        SimulatorOptions options = CommandLine.Parse(["--days", "7", "--calls", "5", "--visibility-delay-seconds", "30"]).ToOptions(now);

        Assert.Equal(now, options.Generation.To);
        Assert.Equal(now.AddDays(-7), options.Generation.From);
        Assert.Equal(5, options.Generation.CallCount);
        Assert.Equal(TimeSpan.FromSeconds(30), options.VisibilityDelay);
    }
}
