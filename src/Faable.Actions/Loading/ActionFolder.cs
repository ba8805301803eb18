using System.Globalization;
using System.Text.Json;
using Faable.Actions.Flow;

namespace Faable.Actions.Loading;

/// <summary>
/// Loads the actions of a folder: every <c>*.js</c> (JavaScript) and <c>*.csx</c> (C# script) file directly in it,
/// named by convention or described by an <c>actions.json</c> manifest.
/// </summary>
/// <remarks>
/// <para>File-name convention: <c>[order-]name[.trigger][.disabled].ext</c>, e.g. <c>10-require-email.js</c>,
/// <c>20-check-profile.continue.js</c>, <c>30-geo.post-login.disabled.js</c>. The order prefix is digits followed by
/// <c>-</c> (default 0); the trigger is <c>post-login</c> or <c>continue</c>. Without a trigger, a file runs on every
/// trigger whose handler its source names (<c>onExecutePostLogin</c>, <c>onContinuePostLogin</c>; in C# scripts
/// <c>OnExecutePostLogin</c>, <c>OnContinuePostLogin</c>), one action per trigger with the same name; a file naming
/// neither runs on post-login.</para>
/// <para>Manifest: <c>actions.json</c> next to the files, <c>{"actions":[{"file":"gate.js","name":"Gate",
/// "order":10,"enabled":true,"triggers":["post-login"]}]}</c>. Only <c>file</c> is required; the others default
/// to the file-name convention. With a manifest, every script file in the folder must be listed.</para>
/// </remarks>
public static class ActionFolder
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "actions.json";

    private static readonly string[] ManifestProperties = ["file", "name", "order", "enabled", "triggers"];

    /// <summary>Loads the actions of <paramref name="path"/>.</summary>
    /// <param name="path">The folder.</param>
    /// <returns>The actions, by file name (the engine orders them by <see cref="FaableAction.Order"/>).</returns>
    /// <exception cref="ActionFolderException">The folder is missing, a file name or the manifest is invalid, or a file is unreadable.</exception>
    public static IReadOnlyList<FaableAction> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Directory.Exists(path))
        {
            throw new ActionFolderException(path, $"the folder does not exist (resolved to '{System.IO.Path.GetFullPath(path)}').");
        }

        var files = Directory.EnumerateFiles(path).Select(f => System.IO.Path.GetFileName(f)).ToList();
        return LoadCore(path, files, File.ReadAllText);
    }

    /// <summary>
    /// Loads actions from files held in memory, e.g. written inline in a test or read from a resource: the same rules
    /// as a folder (file-name convention, an optional <c>actions.json</c> manifest among the files).
    /// </summary>
    /// <param name="files">File name (without a path, e.g. <c>10-gate.js</c> or <c>actions.json</c>) to its content.</param>
    /// <returns>The actions, by file name (the engine orders them by <see cref="FaableAction.Order"/>).</returns>
    /// <exception cref="ActionFolderException">A file name has a path, a file name or the manifest is invalid, or a file is empty.</exception>
    public static IReadOnlyList<FaableAction> Load(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        const string Root = "(in memory)";
        foreach (var (name, content) in files)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            {
                throw new ActionFolderException(System.IO.Path.Combine(Root, name ?? ""), "an in-memory file needs a plain file name, without a path.");
            }

            ArgumentNullException.ThrowIfNull(content, nameof(files));
        }

        return LoadCore(Root, [.. files.Keys], file => files[System.IO.Path.GetFileName(file)]);
    }

    private static List<FaableAction> LoadCore(string path, List<string> fileNames, Func<string, string> read)
    {
        var files = fileNames
            .Where(f => LanguageOf(f) is not null)
            .Order(StringComparer.Ordinal)
            .Select(f => System.IO.Path.Combine(path, f))
            .ToList();
        var manifestPath = System.IO.Path.Combine(path, ManifestFileName);
        var entries = fileNames.Contains(ManifestFileName, StringComparer.Ordinal)
            ? ReadManifest(manifestPath, files, read)
            : files.Select(f => new Entry(System.IO.Path.GetFileName(f), null, null, null, null)).ToList();

        var actions = new List<FaableAction>();
        foreach (var entry in entries)
        {
            var file = System.IO.Path.Combine(path, entry.File);
            actions.AddRange(Build(file, entry, read));
        }

        return actions;
    }

    /// <summary>
    /// Loads one action file (<c>*.js</c> or <c>*.csx</c>) by the same file-name convention as <see cref="Load(string)"/>: one
    /// action per trigger whose handler it names.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's actions.</returns>
    /// <exception cref="ActionFolderException">The file is missing, not a <c>.js</c> or <c>.csx</c> file, badly named, empty or unreadable.</exception>
    public static IReadOnlyList<FaableAction> LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ActionFolderException(path, $"the file does not exist (resolved to '{System.IO.Path.GetFullPath(path)}').");
        }

        if (LanguageOf(path) is null)
        {
            throw new ActionFolderException(path, "an action file ends in .js (JavaScript) or .csx (C# script).");
        }

        return [.. Build(path, new Entry(System.IO.Path.GetFileName(path), null, null, null, null), File.ReadAllText)];
    }

    private static IEnumerable<FaableAction> Build(string file, Entry entry, Func<string, string> read)
    {
        var fileName = System.IO.Path.GetFileName(file);
        var language = LanguageOf(file)!.Value;
        var convention = ParseName(file, fileName);
        string code;
        try
        {
            code = read(file);
        }
        catch (IOException ex)
        {
            throw new ActionFolderException(file, "the file could not be read.", ex);
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            throw new ActionFolderException(file, "the file is empty; an action needs code.");
        }

        var triggers = entry.Triggers ?? convention.Triggers;
        triggers ??= TriggersNamedIn(code, language);

        var name = entry.Name ?? convention.Name;
        foreach (var trigger in triggers)
        {
            FaableAction action;
            try
            {
                action = new FaableAction(name, trigger, code);
            }
            catch (ArgumentException ex)
            {
                throw new ActionFolderException(file, $"invalid action name '{(name.Length > 40 ? name[..40] + "…" : name)}': {ex.Message}", ex);
            }

            yield return action with
            {
                Order = entry.Order ?? convention.Order,
                Enabled = entry.Enabled ?? convention.Enabled,
                Language = language,
            };
        }
    }

    // Without a trigger in the file name or manifest, a file runs on each trigger whose handler its source names;
    // a file naming neither runs on post-login (its runtime then reports what it does export).
    private static ActionTrigger[] TriggersNamedIn(string code, ActionLanguage language)
    {
        var (postLogin, @continue) = language == ActionLanguage.JavaScript
            ? ("onExecutePostLogin", "onContinuePostLogin")
            : ("OnExecutePostLogin", "OnContinuePostLogin");
        var names = new List<ActionTrigger>();
        if (code.Contains(postLogin, StringComparison.Ordinal))
        {
            names.Add(ActionTrigger.PostLogin);
        }

        if (code.Contains(@continue, StringComparison.Ordinal))
        {
            names.Add(ActionTrigger.Continue);
        }

        return names.Count > 0 ? [.. names] : [ActionTrigger.PostLogin];
    }

    private static ActionLanguage? LanguageOf(string file) => System.IO.Path.GetExtension(file) switch
    {
        ".js" => ActionLanguage.JavaScript,
        ".csx" => ActionLanguage.CSharp,
        _ => null,
    };

    private static (string Name, int Order, ActionTrigger[]? Triggers, bool Enabled) ParseName(string file, string fileName)
    {
        var stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
        var segments = stem.Split('.');
        var enabled = true;
        ActionTrigger[]? triggers = null;
        var last = segments.Length - 1;
        while (last > 0)
        {
            if (segments[last] == "disabled" && enabled)
            {
                enabled = false;
            }
            else if (triggers is null && ActionTriggerNames.TryParse(segments[last], out var trigger))
            {
                triggers = [trigger];
            }
            else
            {
                throw new ActionFolderException(file, $"'.{segments[last]}' in the file name is neither a trigger ('.post-login', '.continue') nor '.disabled'. Name files '[order-]name[.trigger][.disabled].js', e.g. '10-require-email.continue.js'.");
            }

            last--;
        }

        var head = segments[0];
        var order = 0;
        var dash = head.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && head[..dash].All(char.IsAsciiDigit))
        {
            if (!int.TryParse(head[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out order))
            {
                throw new ActionFolderException(file, $"the order prefix '{head[..dash]}' is too large; use a number below {int.MaxValue}.");
            }

            head = head[(dash + 1)..];
        }

        if (head.Length == 0)
        {
            throw new ActionFolderException(file, "the file name has no action name after its order prefix; name it e.g. '10-require-email.js'.");
        }

        return (head, order, triggers, enabled);
    }

    private static List<Entry> ReadManifest(string manifestPath, List<string> files, Func<string, string> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(read(manifestPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ActionFolderException(manifestPath, $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("actions", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new ActionFolderException(manifestPath, "expected an object with an \"actions\" array: {\"actions\":[{\"file\":\"gate.js\",\"order\":10}]}.");
            }

            var entries = new List<Entry>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                entries.Add(ReadEntry(manifestPath, index++, item));
            }

            var onDisk = files.Select(f => System.IO.Path.GetFileName(f)).ToHashSet(StringComparer.Ordinal);
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (!listed.Add(entry.File))
                {
                    throw new ActionFolderException(manifestPath, $"\"{entry.File}\" is listed twice; list each file once (one entry can name several triggers).");
                }

                if (!onDisk.Contains(entry.File))
                {
                    throw new ActionFolderException(manifestPath, $"\"{entry.File}\" is listed but there is no such .js or .csx file in the folder.");
                }
            }

            var unlisted = onDisk.Where(f => !listed.Contains(f)).Order(StringComparer.Ordinal).ToList();
            if (unlisted.Count > 0)
            {
                throw new ActionFolderException(manifestPath, $"{string.Join(", ", unlisted.Select(f => $"\"{f}\""))} is in the folder but not in the manifest; list it (with \"enabled\": false to keep it off) or remove it.");
            }

            return entries;
        }
    }

    private static Entry ReadEntry(string manifestPath, int index, JsonElement item)
    {
        var at = $"actions[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ActionFolderException(manifestPath, $"{at} must be an object with at least \"file\".");
        }

        foreach (var property in item.EnumerateObject())
        {
            if (!ManifestProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new ActionFolderException(manifestPath, $"{at} has an unknown property \"{property.Name}\"; allowed: {string.Join(", ", ManifestProperties)}.");
            }
        }

        if (!item.TryGetProperty("file", out var fileElement) || fileElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(fileElement.GetString()))
        {
            throw new ActionFolderException(manifestPath, $"{at}.file is required: the name of a .js or .csx file in this folder.");
        }

        var file = fileElement.GetString()!;
        if (file.IndexOfAny(['/', '\\']) >= 0 || file is "." or "..")
        {
            throw new ActionFolderException(manifestPath, $"{at}.file \"{file}\" must be a file name in this folder, without a path.");
        }

        string? name = null;
        if (item.TryGetProperty("name", out var nameElement))
        {
            if (nameElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameElement.GetString()))
            {
                throw new ActionFolderException(manifestPath, $"{at}.name must be a non-empty string.");
            }

            name = nameElement.GetString();
        }

        int? order = null;
        if (item.TryGetProperty("order", out var orderElement))
        {
            if (orderElement.ValueKind != JsonValueKind.Number || !orderElement.TryGetInt32(out var value))
            {
                throw new ActionFolderException(manifestPath, $"{at}.order must be a whole number.");
            }

            order = value;
        }

        bool? enabled = null;
        if (item.TryGetProperty("enabled", out var enabledElement))
        {
            if (enabledElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new ActionFolderException(manifestPath, $"{at}.enabled must be true or false.");
            }

            enabled = enabledElement.GetBoolean();
        }

        ActionTrigger[]? triggers = null;
        if (item.TryGetProperty("triggers", out var triggersElement))
        {
            if (triggersElement.ValueKind != JsonValueKind.Array || triggersElement.GetArrayLength() == 0)
            {
                throw new ActionFolderException(manifestPath, $"{at}.triggers must be a non-empty array of \"post-login\" and/or \"continue\".");
            }

            var parsed = new List<ActionTrigger>();
            foreach (var t in triggersElement.EnumerateArray())
            {
                if (t.ValueKind != JsonValueKind.String || !ActionTriggerNames.TryParse(t.GetString(), out var trigger))
                {
                    throw new ActionFolderException(manifestPath, $"{at}.triggers has {t.GetRawText()}; use \"post-login\" or \"continue\".");
                }

                if (parsed.Contains(trigger))
                {
                    throw new ActionFolderException(manifestPath, $"{at}.triggers names \"{ActionTriggerNames.ToName(trigger)}\" twice.");
                }

                parsed.Add(trigger);
            }

            triggers = [.. parsed];
        }

        return new Entry(file, name, order, enabled, triggers);
    }

    private sealed record Entry(string File, string? Name, int? Order, bool? Enabled, ActionTrigger[]? Triggers);
}
