using System.Text.Json;
using System.Text.Json.Nodes;

namespace Faable.Cli;

/// <summary>Reading what the user hands a command: files, standard input, inline JSON.</summary>
internal static class CliInput
{
    /// <summary>The largest file or standard input a command reads (event files, bodies, tokens).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Reads a text file, or fails saying which file and why.</summary>
    public static async Task<string> ReadFileAsync(string path, string what, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new CliUsageException($"{what} '{path}' does not exist (resolved to '{info.FullName}').");
        }

        if (info.Length > MaxBytes)
        {
            throw new CliUsageException($"{what} '{path}' is {info.Length} bytes; the limit is {MaxBytes}.");
        }

        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{what} '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Reads all of standard input as bytes, refusing a terminal (a command would wait for ever) and oversized input.</summary>
    public static async Task<byte[]> ReadStandardInputAsync(CliConsole console, string hint, CancellationToken cancellationToken)
    {
        if (!console.InputRedirected)
        {
            throw new CliUsageException($"Nothing on standard input; {hint}");
        }

        var text = await console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length > MaxBytes)
        {
            throw new CliUsageException($"Standard input is {bytes.Length} bytes; the limit is {MaxBytes}.");
        }

        return bytes;
    }

    /// <summary>Parses inline JSON, or <c>@file</c>, as an object; errors name the option and the position.</summary>
    public static async Task<JsonObject> ReadJsonObjectAsync(string value, string option, CancellationToken cancellationToken)
    {
        var text = value.StartsWith('@') ? await ReadFileAsync(value[1..], $"{option} file", cancellationToken).ConfigureAwait(false) : value;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"{option} is not valid JSON ({ex.Message}). Give an object, e.g. {option} '{{\"email\":\"ada@example.com\"}}', or @file.json.", ex);
        }

        return node as JsonObject
            ?? throw new CliUsageException($"{option} must be a JSON object, e.g. {option} '{{\"email\":\"ada@example.com\"}}'; got {Kind(node)}.");
    }

    /// <summary>Names a JSON value's kind for an error message.</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };
}
