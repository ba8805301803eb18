using Faable.Actions.Internal;

namespace Faable.Actions.Tests.Internal;

public sealed class RedirectUrlsTests
{
    [Theory]
    [InlineData("https://a.example/p", "https://a.example/p?state=S")]
    [InlineData("https://a.example/p?x=1", "https://a.example/p?x=1&state=S")]
    [InlineData("https://a.example/p?x=1#frag", "https://a.example/p?x=1&state=S#frag")]
    [InlineData("https://a.example/p#frag?not=query", "https://a.example/p?state=S#frag?not=query")]
    [InlineData("https://a.example/p?", "https://a.example/p?state=S")]
    [InlineData("https://a.example/p?state=evil&x=1", "https://a.example/p?x=1&state=S")]
    [InlineData("https://a.example/p?st%61te=evil", "https://a.example/p?state=S")]
    [InlineData("https://a.example/p?states=1", "https://a.example/p?states=1&state=S")]
    public void AppendState_AddsOneStateBeforeAnyFragment(string url, string expected) =>
        Assert.Equal(expected, RedirectUrls.AppendState(url, "S"));

    [Fact]
    public void AppendState_EscapesTheValue() =>
        Assert.Equal("https://a.example/?state=a%2Bb%3D", RedirectUrls.AppendState("https://a.example/", "a+b="));
}
