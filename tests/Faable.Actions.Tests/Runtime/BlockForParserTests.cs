using Faable.Actions.Internal.Api;

namespace Faable.Actions.Tests.Runtime;

public sealed class BlockForParserTests
{
    [Theory]
    [InlineData("48h", 48 * 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("30m", 30 * 60)]
    [InlineData("10s", 10)]
    [InlineData(" 2h ", 7200)]
    public void TryParse_Duration_ReturnsValue(string text, int seconds)
    {
        Assert.Null(BlockForParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("48")]
    [InlineData("-5h")]
    [InlineData("2 weeks")]
    [InlineData("1.5h")]
    [InlineData("3w")]
    [InlineData("0s")]
    [InlineData("366d")]
    [InlineData("99999999999999999999d")]
    public void TryParse_Invalid_ReturnsError(string text)
    {
        Assert.NotNull(BlockForParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(366d * 86_400_000)]
    public void TryFromMilliseconds_Invalid_ReturnsError(double ms)
    {
        Assert.NotNull(BlockForParser.TryFromMilliseconds(ms, out _));
    }

    [Fact]
    public void TryFromMilliseconds_Valid_ReturnsValue()
    {
        Assert.Null(BlockForParser.TryFromMilliseconds(90_000, out var value));
        Assert.Equal(TimeSpan.FromSeconds(90), value);
    }
}
