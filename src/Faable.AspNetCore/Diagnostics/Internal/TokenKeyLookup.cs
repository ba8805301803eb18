using Faable.AspNetCore.Internal;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>What the doctor learned about the key a token names: the key, or why there is none.</summary>
internal readonly record struct TokenKeyLookup(SigningKey? Key, string Explanation, string? FailureReason);
