namespace Faable.AspNetCore.Diagnostics;

/// <summary>One check of the token doctor: what was checked, the result and why.</summary>
public sealed class FaableTokenCheck
{
    internal FaableTokenCheck(string name, FaableTokenCheckStatus status, string explanation, string? reason)
    {
        Name = name;
        Status = status;
        Explanation = explanation;
        Reason = reason;
    }

    /// <summary>Gets the check's name, e.g. <c>header.alg</c>, <c>signature</c>, <c>iss</c>, <c>aud</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the result.</summary>
    public FaableTokenCheckStatus Status { get; }

    /// <summary>Gets the explanation: what was expected, what the token holds and how to fix it.</summary>
    public string Explanation { get; }

    /// <summary>Gets, for a failed check, the <c>reason</c> code the resource server answers with (e.g. <c>wrong_issuer</c>).</summary>
    public string? Reason { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Status,-8} {Name}: {Explanation}";
}
