using System.Text.Json;

namespace Faable.Tests.Shared;

/// <summary>
/// <c>docs/problems.md</c>, read as data: the table of every problem <c>type</c> and the table of extension members.
/// Each package's tests hold its catalog and its real answers against this one page.
/// </summary>
internal static class ProblemDocument
{
    /// <summary>The <c>type</c> prefix the page documents; the packages' writer must produce exactly this.</summary>
    public const string TypePrefix = "urn:faable:problem:";

    private static readonly string[] CoreMembers = ["type", "title", "status", "error", "reason", "detail"];

    /// <summary>Gets the path of the page.</summary>
    public static string Path { get; } = System.IO.Path.Combine(RepositoryPaths.Root, "docs", "problems.md");

    /// <summary>Gets every row of the problem-type tables.</summary>
    public static IReadOnlyList<ProblemRow> Types { get; } = ReadTypes();

    /// <summary>Gets every row of the extension-member table.</summary>
    public static IReadOnlyList<ExtensionRow> Extensions { get; } = ReadExtensions();

    /// <summary>The documented rows of one package.</summary>
    public static IReadOnlyList<ProblemRow> Of(string package) => Types.Where(r => r.Package == package).ToList();

    /// <summary>The page's own rules: one row per type, every type a prefix plus a reason, every row complete.</summary>
    public static void AssertWellFormed()
    {
        Assert.NotEmpty(Types);
        var duplicates = Types.GroupBy(r => r.Type, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "docs/problems.md lists these types more than once: " + string.Join(", ", duplicates));
        foreach (var row in Types)
        {
            Assert.Matches("^urn:faable:problem:[a-z0-9_]+$", row.Type);
            Assert.InRange(row.Status, 400, 599);
            Assert.False(string.IsNullOrWhiteSpace(row.Meaning), row.Type + " has no meaning");
            Assert.False(string.IsNullOrWhiteSpace(row.WhatToDo), row.Type + " says nothing about what the caller should do");
        }

        foreach (var extension in Extensions)
        {
            Assert.DoesNotContain(extension.Member, CoreMembers);
            Assert.All(extension.Reasons, reason => Assert.Contains(Types, r => r.Reason == reason && r.Package == extension.Package));
        }
    }

    /// <summary>
    /// Asserts every answer a package's catalog can give is a row of the page, under that package, with the same status
    /// and error.
    /// </summary>
    public static void AssertCatalogDocumented(string package, IEnumerable<(string Reason, int Status, string Error)> catalog)
    {
        AssertWellFormed();
        foreach (var (reason, status, error) in catalog)
        {
            // The packages' own type function (FaableProblem.TypeOf, one shared file) is TypePrefix + reason; the
            // resource server's tests pin that.
            var row = Types.SingleOrDefault(r => r.Type == TypePrefix + reason);
            Assert.True(row is not null, $"'{reason}' can be answered but docs/problems.md does not list {TypePrefix + reason}");
            Assert.Equal((package, status, error), (row.Package, row.Status, row.Error));
        }
    }

    /// <summary>Asserts every row the page lists under a package is a reason the package's catalog can answer.</summary>
    public static void AssertRowsAnswerable(string package, IEnumerable<string> catalogReasons)
    {
        var reasons = catalogReasons.ToHashSet(StringComparer.Ordinal);
        Assert.All(Of(package), row => Assert.Contains(row.Reason, reasons));
    }

    /// <summary>
    /// Asserts a real answer carries the one shape with the documented type, status and error of
    /// <paramref name="reason"/>, and no member the page does not document for it. Returns the body.
    /// </summary>
    public static async Task<JsonElement> AssertAnswerAsync(HttpResponseMessage response, string package, string reason)
    {
        ArgumentNullException.ThrowIfNull(response);
        var row = Assert.Single(Types, r => r.Reason == reason);
        Assert.Equal(package, row.Package);
        Assert.Equal(row.Status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var body = document.RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal(row.Type, body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.Equal(row.Status, body.GetProperty("status").GetInt32());
        Assert.Equal(row.Error, body.GetProperty("error").GetString());
        Assert.Equal(reason, body.GetProperty("reason").GetString());
        if (body.TryGetProperty("detail", out var detail))
        {
            Assert.Equal(JsonValueKind.String, detail.ValueKind);
        }

        var names = body.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(new[] { "type", "title", "status", "error", "reason" }, names.Take(5));
        foreach (var name in names.Where(n => !CoreMembers.Contains(n)))
        {
            Assert.True(
                Extensions.Any(e => e.Member == name && e.Package == package && e.Reasons.Contains(reason)),
                $"'{name}' in a {reason} answer is not a documented extension member of {package} for that reason");
        }

        return body;
    }

    private static IReadOnlyList<ProblemRow> ReadTypes()
    {
        var rows = new List<ProblemRow>();
        foreach (var cells in TableRows())
        {
            if (cells.Length == 6 && Unquote(cells[0]) is { } type && type.StartsWith(TypePrefix, StringComparison.Ordinal))
            {
                rows.Add(new ProblemRow(type, int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), Unquote(cells[2]) ?? cells[2], cells[3], cells[4], cells[5]));
            }
        }

        return rows;
    }

    private static IReadOnlyList<ExtensionRow> ReadExtensions()
    {
        var text = File.ReadAllText(Path);
        var start = text.IndexOf("\n## Extension members", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/problems.md has no 'Extension members' section");
        var rows = new List<ExtensionRow>();
        foreach (var cells in TableRows(text[start..]))
        {
            if (cells.Length == 4 && Unquote(cells[0]) is { } member)
            {
                var reasons = cells[2].Split(',', StringSplitOptions.TrimEntries).Select(r => Unquote(r) ?? r).ToList();
                rows.Add(new ExtensionRow(member, cells[1], reasons));
            }
        }

        return rows;
    }

    private static IEnumerable<string[]> TableRows(string? text = null)
    {
        foreach (var line in (text ?? File.ReadAllText(Path)).Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('|') && trimmed.EndsWith('|') && !trimmed.StartsWith("|---", StringComparison.Ordinal))
            {
                yield return trimmed[1..^1].Split('|', StringSplitOptions.TrimEntries);
            }
        }
    }

    private static string? Unquote(string cell) => cell.Length > 2 && cell[0] == '`' && cell[^1] == '`' ? cell[1..^1] : null;

    /// <summary>One documented problem type.</summary>
    public sealed record ProblemRow(string Type, int Status, string Error, string Package, string Meaning, string WhatToDo)
    {
        /// <summary>Gets the reason: the last segment of the type.</summary>
        public string Reason => Type[TypePrefix.Length..];
    }

    /// <summary>One documented extension member: which package writes it, for which reasons.</summary>
    public sealed record ExtensionRow(string Member, string Package, IReadOnlyList<string> Reasons);
}
