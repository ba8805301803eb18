using Microsoft.IdentityModel.Tokens;

namespace Faable.AspNetCore.Internal;

/// <summary>The token handler JwtBearer calls: delegates to <see cref="FaableTokenValidator"/> and ignores the generic parameters.</summary>
internal sealed class FaableTokenHandler(FaableTokenValidator validator) : TokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        TokenCheck check;
        try
        {
            check = await validator.ValidateAsync(token, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever goes wrong with a token is a 401, never a 500.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            check = TokenCheck.Reject(AuthErrors.Rejected);
        }

        if (check.IsValid)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = check.Token!.CreateIdentity(),
                SecurityToken = new FaableAccessToken(check.Token),
                Issuer = check.Token.Issuer,
            };
        }

        return new TokenValidationResult
        {
            IsValid = false,
            Exception = new FaableTokenRejectedException(check.Error!, check.Detail, check.RetryAfter),
        };
    }
}
