using Faable.Actions.Internal;

namespace Faable.Actions.Tests.Runtime;

public sealed class RedirectUrlValidatorTests
{
    [Theory]
    [InlineData("https://shop.example.com/terms")]
    [InlineData("https://shop.example.com:8443/complete-profile?step=2#email")]
    [InlineData("HTTPS://Shop.Example.com/")]
    [InlineData("http://localhost:5000/profile")]
    [InlineData("http://127.0.0.1/profile")]
    [InlineData("http://[::1]:8080/profile")]
    public void Validate_AcceptableUrl_ReturnsNull(string url)
    {
        Assert.Null(RedirectUrlValidator.Validate(url, 2048, allowHttpLoopback: true));
    }

    [Theory]
    [InlineData("javascript:alert(1)", "'javascript:'")]
    [InlineData("JAVASCRIPT:alert(1)", "'javascript:'")]
    [InlineData(" javascript:alert(1)", "'javascript:'")]
    [InlineData("java\tscript:alert(1)", "'javascript:'")]
    [InlineData("java\nscript:alert(1)", "'javascript:'")]
    [InlineData("data:text/html,<script>alert(1)</script>", "'data:'")]
    [InlineData("vbscript:msgbox", "'vbscript:'")]
    [InlineData("file:///etc/passwd", "'file:'")]
    [InlineData("//evil.example/", "protocol-relative")]
    [InlineData("https:evil.example", "must be followed by '//host'")]
    [InlineData("https:/evil.example", "must be followed by '//host'")]
    [InlineData("https://evil.example\\@good.example", "backslash")]
    [InlineData("https:\\\\evil.example", "backslash")]
    [InlineData("https://good.example@evil.example/", "user information")]
    [InlineData("https://user:pass@good.example/", "user information")]
    [InlineData("https://good.example/\r\nSet-Cookie: a=b", "CR or LF")]
    [InlineData("/complete-profile", "relative")]
    [InlineData("complete-profile", "relative")]
    [InlineData("ftp://files.example/", "scheme 'ftp:'")]
    [InlineData("http://shop.example.com/", "plain http:// is refused")]
    [InlineData("http://10.0.0.1/", "plain http:// is refused")]
    [InlineData("https://", "not a valid absolute URL")]
    [InlineData("", "empty")]
    public void Validate_DangerousUrl_ReturnsSpecificReason(string url, string reason)
    {
        var error = RedirectUrlValidator.Validate(url, 2048, allowHttpLoopback: true);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooLong_NamesTheLimit()
    {
        var url = "https://shop.example.com/" + new string('a', 100);

        var error = RedirectUrlValidator.Validate(url, 64, allowHttpLoopback: true);

        Assert.Contains("MaxRedirectUrlLength", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LoopbackHttpWhenNotAllowed_Refused()
    {
        var error = RedirectUrlValidator.Validate("http://localhost:5000/", 2048, allowHttpLoopback: false);

        Assert.Contains("AllowHttpLoopbackRedirects", error, StringComparison.Ordinal);
    }
}
