using Microsoft.Extensions.Primitives;
using OrdersApi.SignIn;

namespace OrdersApi.Tests;

/// <summary>How the callback reads an error response from the tenant.</summary>
public sealed class TenantSignInErrorTests
{
    [Fact]
    public void From_LongDescription_IsCut()
    {
        var error = TenantSignInError.From("server_error", new string('x', 5000));

        Assert.Equal(TenantSignInError.MaxDescriptionLength + 1, error.Message.Length);
        Assert.EndsWith("…", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_NoDescription_UsesTheTextForTheCode()
    {
        var error = TenantSignInError.From("server_error", StringValues.Empty);

        Assert.Equal("The tenant failed while signing you in; no token was issued.", error.Message);
        Assert.Equal(502, error.StatusCode);
    }

    [Theory]
    [InlineData("server_error", "access_denied")]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    public void From_RepeatedEmptyOrNonAsciiCode_IsMalformed(params string[] codes)
    {
        var error = TenantSignInError.From(new StringValues(codes), "description");

        Assert.Null(error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.DoesNotContain("description", error.Message, StringComparison.Ordinal);
    }
}
