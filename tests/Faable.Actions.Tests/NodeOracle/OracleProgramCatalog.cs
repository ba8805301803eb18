namespace Faable.Actions.Tests.NodeOracle;

/// <summary>Reads the programs of the differential suite from the data files copied next to the tests.</summary>
internal static class OracleProgramCatalog
{
    private const string Header = "// === ";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "NodeOracle");

    /// <summary>Programs whose outcome must equal Node's.</summary>
    public static IReadOnlyList<OracleProgram> Equal { get; } = Load("Programs", "");

    /// <summary>Programs of the deliberate differences, each checked by its own test.</summary>
    public static IReadOnlyList<OracleProgram> Differences { get; } = Load("Differences", "differences/");

    /// <summary>Every program; Node runs them all in one process.</summary>
    public static IReadOnlyList<OracleProgram> All { get; } = [.. Equal, .. Differences];

    public static OracleProgram Get(string name) => All.Single(p => p.Name == name);

    private static List<OracleProgram> Load(string folder, string prefix)
    {
        var programs = new List<OracleProgram>();
        foreach (var file in Directory.GetFiles(Path.Combine(Folder, folder), "*.js").Order(StringComparer.Ordinal))
        {
            var group = prefix + Path.GetFileNameWithoutExtension(file);
            string? name = null;
            var compareMessage = true;
            var code = new List<string>();
            foreach (var line in File.ReadAllLines(file).Append(Header + "<end>"))
            {
                if (line.StartsWith(Header, StringComparison.Ordinal))
                {
                    if (name is not null)
                    {
                        programs.Add(new OracleProgram($"{group}/{name}", string.Join('\n', code).Trim() + "\n", compareMessage));
                    }

                    name = line[Header.Length..].Trim();
                    compareMessage = true;
                    code.Clear();
                }
                else if (name is not null && code.Count == 0 && line.StartsWith("// @", StringComparison.Ordinal))
                {
                    compareMessage &= line.Trim() != "// @message-differs";
                }
                else if (name is not null)
                {
                    code.Add(line);
                }
            }
        }

        var duplicate = programs.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? programs : throw new InvalidOperationException($"Two oracle programs are named '{duplicate.Key}'.");
    }
}
