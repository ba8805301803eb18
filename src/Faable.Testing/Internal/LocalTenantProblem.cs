using Faable.Shared;
using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>
/// One answer of the local tenant's own (non-OAuth) endpoints, written in the shape every Faable package uses
/// (<see cref="FaableProblem"/>). The OAuth endpoints keep RFC 6749 §5.2 errors (<see cref="OAuthError"/>).
/// </summary>
internal sealed record LocalTenantProblem(int Status, string Error, string Reason, string Title)
{
    /// <summary>The answer for one occurrence; <paramref name="detail"/> says what was wrong with this request.</summary>
    public IResult ToResult(string? detail = null) => new ProblemResult(this, detail);

    private sealed class ProblemResult(LocalTenantProblem problem, string? detail) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            FaableProblem.WriteAsync(httpContext, problem.Status, problem.Error, problem.Reason, problem.Title, detail);
    }
}
