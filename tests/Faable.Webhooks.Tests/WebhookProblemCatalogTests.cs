using Faable.Shared;
using Faable.Tests.Shared;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks.Tests;

/// <summary>Every answer the webhook endpoint can give is a row of docs/problems.md.</summary>
public sealed class WebhookProblemCatalogTests
{
    private const string Package = "Faable.Webhooks";

    [Fact]
    public void Catalog_EveryReason_IsDocumentedWithItsTypeStatusAndError()
    {
        ProblemDocument.AssertWellFormed();
        foreach (var problem in WebhookFailureCatalog.All)
        {
            var row = ProblemDocument.Types.SingleOrDefault(r => r.Type == FaableProblem.TypeOf(problem.Reason));
            Assert.True(row is not null, $"'{problem.Reason}' can be answered but docs/problems.md does not list {FaableProblem.TypeOf(problem.Reason)}");
            Assert.Equal((Package, problem.Status, problem.Error), (row.Package, row.Status, row.Error));
        }
    }

    [Fact]
    public void Catalog_CoversEveryFailureReason()
    {
        var failures = Enum.GetValues<FaableWebhookFailureReason>().Where(r => r != FaableWebhookFailureReason.None).ToList();
        Assert.All(failures, r => Assert.Contains(WebhookFailureCatalog.Describe(r), WebhookFailureCatalog.All));
        Assert.Equal(failures.Count + 1, WebhookFailureCatalog.All.Select(p => p.Reason).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Document_RowsOfThePackage_AreReasonsItCanAnswer()
    {
        var reasons = WebhookFailureCatalog.All.Select(p => p.Reason).ToHashSet(StringComparer.Ordinal);
        Assert.All(ProblemDocument.Of(Package), row => Assert.Contains(row.Reason, reasons));
    }

    [Fact]
    public void Reason_IsTheFailureReasonNameInSnakeCase()
    {
        // docs/problems.md tells verifier users this mapping instead of listing it twice.
        foreach (var failure in Enum.GetValues<FaableWebhookFailureReason>().Where(r => r != FaableWebhookFailureReason.None))
        {
            var snake = string.Concat(failure.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
            Assert.Equal(snake, WebhookFailureCatalog.Describe(failure).Reason);
        }
    }
}
