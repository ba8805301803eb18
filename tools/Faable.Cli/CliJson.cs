using System.Text.Encodings.Web;
using System.Text.Json;

namespace Faable.Cli;

/// <summary>How the tool writes JSON: indented documents for results, single lines for the emulator's events.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions Line { get; } = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
