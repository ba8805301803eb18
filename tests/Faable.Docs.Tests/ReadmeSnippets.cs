using System.Text;
using System.Text.RegularExpressions;
using Faable.Tests.Shared;

namespace Faable.Docs.Tests;

/// <summary>
/// The READMEs' code blocks and the source regions they are copied from. A region is the text between
/// <c>// &lt;snippet:name&gt;</c> and <c>// &lt;/snippet:name&gt;</c> (<c>&lt;!-- … --&gt;</c> in project files) in
/// this project or in Faable.Docs.App; a region given in several parts of one file is the parts joined by a blank
/// line. A README block is marked on the line before its fence: <c>&lt;!-- snippet: name --&gt;</c> (the block is
/// the region's text), <c>&lt;!-- excerpt: path --&gt;</c> (its lines, except <c>// …</c>, appear in that file in
/// order) or <c>&lt;!-- fragment: reason --&gt;</c> (not compiled, for the reason given).
/// </summary>
internal static partial class ReadmeSnippets
{
    public const string Elision = "// …";

    /// <summary>The READMEs checked, relative to the repository root.</summary>
    public static IReadOnlyList<string> ReadmeFiles { get; } = FindReadmes();

    public static IReadOnlyDictionary<string, string> LoadRegions()
    {
        var sources = new[] { "tests/Faable.Docs.Tests", "tests/Faable.Docs.App" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(path => !path.Contains("/bin/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        var origin = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in sources)
        {
            foreach (var (name, text) in ParseRegions(File.ReadAllText(path), path))
            {
                if (!origin.TryAdd(name, path))
                {
                    throw new InvalidOperationException($"Region '{name}' is in both {origin[name]} and {path}; a region lives in one file.");
                }

                regions[name] = text;
            }
        }

        return regions;
    }

    /// <summary>The regions of one source file, each part dedented, parts of one name joined by a blank line.</summary>
    public static IReadOnlyDictionary<string, string> ParseRegions(string source, string path)
    {
        var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var open = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var lines = SplitLines(source);
        for (var i = 0; i < lines.Count; i++)
        {
            var marker = RegionMarker().Match(lines[i]);
            if (marker.Success)
            {
                var name = marker.Groups["name"].Value;
                if (marker.Groups["close"].Success)
                {
                    if (!open.Remove(name, out var body))
                    {
                        throw new InvalidOperationException($"{path}:{i + 1}: '</snippet:{name}>' closes no open region.");
                    }

                    (parts.TryGetValue(name, out var list) ? list : parts[name] = []).Add(Dedent(body));
                }
                else if (!open.TryAdd(name, []))
                {
                    throw new InvalidOperationException($"{path}:{i + 1}: region '{name}' opened twice.");
                }

                continue;
            }

            foreach (var body in open.Values)
            {
                body.Add(lines[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new InvalidOperationException($"{path}: region '{open.Keys.First()}' is never closed.");
        }

        return parts.ToDictionary(p => p.Key, p => Join(p.Value), StringComparer.Ordinal);
    }

    // Parts are separated by a blank line, except that using directives split across parts stay one group.
    private static string Join(List<string> parts)
    {
        var text = new StringBuilder(parts[0]);
        for (var i = 1; i < parts.Count; i++)
        {
            var previousLast = parts[i - 1][(parts[i - 1].LastIndexOf('\n') + 1)..];
            text.Append(UsingDirective().IsMatch(previousLast) && UsingDirective().IsMatch(parts[i]) ? "\n" : "\n\n").Append(parts[i]);
        }

        return text.ToString();
    }

    /// <summary>The fenced blocks of a README, with the marker line before each.</summary>
    public static IReadOnlyList<ReadmeBlock> ParseBlocks(string readme)
    {
        var lines = SplitLines(readme);
        var blocks = new List<ReadmeBlock>();
        for (var i = 0; i < lines.Count; i++)
        {
            var fence = FenceOpen().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            var indent = fence.Groups["indent"].Value;
            var end = i + 1;
            while (end < lines.Count && lines[end].TrimEnd() != indent + "```")
            {
                end++;
            }

            if (end == lines.Count)
            {
                throw new InvalidOperationException($"line {i + 1}: a fence that is never closed.");
            }

            var body = lines.Skip(i + 1).Take(end - i - 1).Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart());
            var marker = i > 0 ? BlockMarker().Match(lines[i - 1]) : Match.Empty;
            blocks.Add(new ReadmeBlock(
                Line: i + 1,
                EndLine: end + 1,
                Indent: indent,
                Language: fence.Groups["language"].Value,
                Text: string.Join("\n", body),
                MarkerKind: marker.Success ? marker.Groups["kind"].Value : null,
                MarkerValue: marker.Success ? marker.Groups["value"].Value.Trim() : null));
            i = end;
        }

        return blocks;
    }

    /// <summary>Replaces the body of every <c>snippet</c> block with its region's text; other lines are kept.</summary>
    public static string Rewrite(string readme, IReadOnlyDictionary<string, string> regions)
    {
        var lines = SplitLines(readme).ToList();
        foreach (var block in ParseBlocks(readme).Reverse())
        {
            if (block.MarkerKind == "snippet" && regions.TryGetValue(block.MarkerValue!, out var region))
            {
                lines.RemoveRange(block.Line, block.EndLine - block.Line - 1);
                lines.InsertRange(block.Line, SplitLines(region).Select(l => l.Length == 0 ? l : block.Indent + l));
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>
    /// The first excerpt line (except <see cref="Elision"/> lines) that does not appear in the file after the previous
    /// one, or <see langword="null"/>. Lines are compared trimmed; a README line may add a trailing <c>// comment</c>.
    /// </summary>
    public static string? FindExcerptMismatch(string excerpt, string file)
    {
        var fileLines = SplitLines(file).Select(l => l.Trim()).ToList();
        var at = 0;
        foreach (var line in SplitLines(excerpt).Select(l => l.Trim()).Where(l => l.Length > 0 && l != Elision))
        {
            var found = fileLines.IndexOf(line, at);
            var comment = line.IndexOf("  // ", StringComparison.Ordinal);
            if (found < 0 && comment > 0)
            {
                found = fileLines.IndexOf(line[..comment].TrimEnd(), at);   // a comment added in the README
            }

            if (found < 0)
            {
                return line;
            }

            at = found + 1;
        }

        return null;
    }

    private static string Dedent(List<string> lines)
    {
        while (lines.Count > 0 && lines[0].Trim().Length == 0)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Trim().Length == 0 ? "" : l[indent..].TrimEnd()));
    }

    private static List<string> SplitLines(string text) => [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')];

    private static List<string> FindReadmes()
    {
        var root = RepositoryPaths.Root;
        var readmes = new List<string> { "README.md" };
        foreach (var folder in new[] { "src", "samples", "tools" })
        {
            readmes.AddRange(Directory.EnumerateDirectories(Path.Combine(root, folder))
                .Select(d => Path.Combine(d, "README.md"))
                .Where(File.Exists)
                .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/')));
        }

        readmes.Sort(StringComparer.Ordinal);
        return readmes;
    }

    [GeneratedRegex(@"^\s*(?://|<!--)\s*<(?<close>/)?snippet:(?<name>[a-z0-9-]+)>\s*(?:-->)?\s*$")]
    private static partial Regex RegionMarker();

    [GeneratedRegex(@"^using [A-Za-z_][\w.]*;")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^(?<indent>\s*)```(?<language>[A-Za-z0-9+#-]*)\s*$")]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"^\s*<!--\s*(?<kind>snippet|excerpt|fragment):(?<value>.*?)-->\s*$")]
    private static partial Regex BlockMarker();
}

/// <summary>One fenced block of a README.</summary>
internal sealed record ReadmeBlock(int Line, int EndLine, string Indent, string Language, string Text, string? MarkerKind, string? MarkerValue);
