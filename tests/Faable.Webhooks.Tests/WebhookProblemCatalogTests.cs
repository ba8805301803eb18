using Faable.Shared;
using Faable.Tests.Shared;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks.Tests;

/// <summary>Every answer the webhook endpoint can give is a row of docs/problems.md.</summary>
public sealed class WebhookProblemCatalogTests
{
    private const string Package = "Faable.Webhooks";

    [Fact]
    public void Catalog_EveryReason_IsDocumentedWithItsTypeStatusAndError() =>
        ProblemDocument.AssertCatalogDocumented(Package, WebhookFailureCatalog.All.Select(p => (p.Reason, p.Status, p.Error)));

    [Fact]
    public void Catalog_CoversEveryFailureReason()
    {
        var failures = Enum.GetValues<FaableWebhookFailureReason>().Where(r => r != FaableWebhookFailureReason.None).ToList();
        Assert.All(failures, r => Assert.Contains(WebhookFailureCatalog.Describe(r), WebhookFailureCatalog.All));
        Assert.Equal(failures.Count + 1, WebhookFailureCatalog.All.Select(p => p.Reason).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Document_RowsOfThePackage_AreReasonsItCanAnswer() =>
        ProblemDocument.AssertRowsAnswerable(Package, WebhookFailureCatalog.All.Select(p => p.Reason));

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
