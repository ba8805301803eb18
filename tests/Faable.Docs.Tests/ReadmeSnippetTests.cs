using Faable.Tests.Shared;

namespace Faable.Docs.Tests;

/// <summary>
/// Every C# block of the READMEs is compiled and run here: it is marked as the text of a region that a test of this
/// project runs, as an excerpt of a file whose own tests run it, or (rarely) as a fragment with its reason. With
/// <c>FAABLE_UPDATE_SNIPPETS=1</c> (what <c>eng/update-snippets.sh</c> sets) the blocks are first rewritten from
/// their regions.
/// </summary>
public sealed class ReadmeSnippetTests
{
    private static readonly bool s_update = Environment.GetEnvironmentVariable("FAABLE_UPDATE_SNIPPETS") == "1";

    public static TheoryData<string> Readmes() => [.. ReadmeSnippets.ReadmeFiles];

    [Theory]
    [MemberData(nameof(Readmes))]
    public void EveryCSharpBlock_IsMarked(string readme)
    {
        var unmarked = ReadmeSnippets.ParseBlocks(Read(readme))
            .Where(b => b.Language is "csharp" or "cs" or "c#" && b.MarkerKind is null)
            .Select(b => $"{readme}:{b.Line}")
            .ToList();

        Assert.True(unmarked.Count == 0,
            "C# blocks without '<!-- snippet: name -->' (or excerpt/fragment) on the line before the fence:\n" + string.Join("\n", unmarked));
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void EverySnippetBlock_IsItsRegionText(string readme)
    {
        var regions = ReadmeSnippets.LoadRegions();
        if (s_update)
        {
            var path = Path.Combine(RepositoryPaths.Root, readme);
            var text = File.ReadAllText(path);
            var rewritten = ReadmeSnippets.Rewrite(text, regions);
            if (rewritten != text)
            {
                File.WriteAllText(path, rewritten);
            }
        }

        var problems = new List<string>();
        foreach (var block in ReadmeSnippets.ParseBlocks(Read(readme)).Where(b => b.MarkerKind == "snippet"))
        {
            if (!regions.TryGetValue(block.MarkerValue!, out var region))
            {
                problems.Add($"{readme}:{block.Line}: no region '{block.MarkerValue}' in tests/Faable.Docs.Tests or tests/Faable.Docs.App");
            }
            else if (region != block.Text)
            {
                problems.Add($"{readme}:{block.Line}: block '{block.MarkerValue}' differs from its region (run eng/update-snippets.sh):\n--- README\n{block.Text}\n--- region\n{region}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void EveryExcerptBlock_IsLinesOfItsFile(string readme)
    {
        var problems = new List<string>();
        foreach (var block in ReadmeSnippets.ParseBlocks(Read(readme)).Where(b => b.MarkerKind == "excerpt"))
        {
            var file = Path.Combine(RepositoryPaths.Root, block.MarkerValue!);
            if (!File.Exists(file))
            {
                problems.Add($"{readme}:{block.Line}: excerpt of '{block.MarkerValue}', which does not exist");
            }
            else if (ReadmeSnippets.FindExcerptMismatch(block.Text, File.ReadAllText(file)) is { } line)
            {
                problems.Add($"{readme}:{block.Line}: '{line}' is not in {block.MarkerValue} (in this order)");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void EveryFragmentBlock_SaysWhy(string readme)
    {
        var silent = ReadmeSnippets.ParseBlocks(Read(readme))
            .Where(b => b.MarkerKind == "fragment" && b.MarkerValue!.Length < 10)
            .Select(b => $"{readme}:{b.Line}")
            .ToList();

        Assert.True(silent.Count == 0, "Fragments without a reason: " + string.Join(", ", silent));
    }

    [Fact]
    public void EveryRegion_IsShownInAReadme()
    {
        var shown = ReadmeSnippets.ReadmeFiles
            .SelectMany(r => ReadmeSnippets.ParseBlocks(Read(r)))
            .Where(b => b.MarkerKind == "snippet")
            .Select(b => b.MarkerValue!)
            .ToHashSet(StringComparer.Ordinal);

        var unused = ReadmeSnippets.LoadRegions().Keys.Where(name => !shown.Contains(name)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unused.Count == 0, "Regions no README shows: " + string.Join(", ", unused));
    }

    [Fact]
    public void Check_FindsAnEditedBlock_AndRewriteRestoresIt()
    {
        var regions = ReadmeSnippets.ParseRegions("""
            class C
            {
                void M()
                {
                    // [snippet:demo]
                    var x = 1;
                    if (x > 0)
                        x++;
                    // [/snippet:demo]
                }
            }
            """.Replace('[', '<').Replace(']', '>'), "C.cs");
        Assert.Equal("var x = 1;\nif (x > 0)\n    x++;", regions["demo"]);

        var readme = "text\n  <!-- snippet: demo -->\n  ```csharp\n  var x = 2;\n  ```\nmore\n";
        var block = Assert.Single(ReadmeSnippets.ParseBlocks(readme));
        Assert.NotEqual(regions["demo"], block.Text);

        var rewritten = ReadmeSnippets.Rewrite(readme, regions);

        Assert.Equal("text\n  <!-- snippet: demo -->\n  ```csharp\n  var x = 1;\n  if (x > 0)\n      x++;\n  ```\nmore\n", rewritten);
        Assert.Equal(regions["demo"], Assert.Single(ReadmeSnippets.ParseBlocks(rewritten)).Text);
    }

    [Fact]
    public void Check_FindsAnUnmarkedBlock_AndJoinsRegionParts()
    {
        var blocks = ReadmeSnippets.ParseBlocks("```csharp\nvar a = 1;\n```\n\n<!-- fragment: a shape, not code -->\n```csharp\nx\n```\n");
        Assert.Null(blocks[0].MarkerKind);
        Assert.Equal("fragment", blocks[1].MarkerKind);

        var regions = ReadmeSnippets.ParseRegions("// <snippet:two>\nusing A;\n// </snippet:two>\nnamespace N;\n  // <snippet:two>\n  var b = 2;\n  // </snippet:two>\n", "T.cs");
        Assert.Equal("using A;\n\nvar b = 2;", regions["two"]);

        var usings = ReadmeSnippets.ParseRegions("// <snippet:u>\nusing A;\n// </snippet:u>\nusing B;\n// <snippet:u>\nusing C;   // why\n// </snippet:u>\n// <snippet:u>\nusing var d = new D();\n// </snippet:u>\n", "U.cs");
        Assert.Equal("using A;\nusing C;   // why\n\nusing var d = new D();", usings["u"]);
    }

    [Fact]
    public void Excerpt_LinesOutOfOrderOrMissing_AreReported()
    {
        const string file = "a();\n  b();\nc();\n";

        Assert.Null(ReadmeSnippets.FindExcerptMismatch("a();\n// …\nc();", file));
        Assert.Equal("a();", ReadmeSnippets.FindExcerptMismatch("b();\na();", file));
        Assert.Equal("d();", ReadmeSnippets.FindExcerptMismatch("a();\nd();", file));
        Assert.Null(ReadmeSnippets.FindExcerptMismatch("b();   // explained", file));
        Assert.Equal("e();   // explained", ReadmeSnippets.FindExcerptMismatch("e();   // explained", file));
    }

    private static string Read(string readme) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, readme));
}
