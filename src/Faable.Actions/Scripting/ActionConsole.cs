using System.Globalization;
using System.Text.Json;
using Faable.Actions.Internal.CSharp;

namespace Faable.Actions.Scripting;

/// <summary><c>console</c> of a C# script action: output is captured with the action's trace, within its quota.</summary>
public sealed class ActionConsole
{
    private readonly CSharpRunSession _session;

    internal ActionConsole(CSharpRunSession session)
    {
        _session = session;
    }

    /// <summary><c>console.log</c>.</summary>
    /// <param name="values">Values joined by spaces; objects are written as JSON.</param>
    public void Log(params object?[] values) => Write("log", values);

    /// <summary><c>console.info</c>.</summary>
    /// <param name="values">Values joined by spaces; objects are written as JSON.</param>
    public void Info(params object?[] values) => Write("info", values);

    /// <summary><c>console.warn</c>.</summary>
    /// <param name="values">Values joined by spaces; objects are written as JSON.</param>
    public void Warn(params object?[] values) => Write("warn", values);

    /// <summary><c>console.error</c>.</summary>
    /// <param name="values">Values joined by spaces; objects are written as JSON.</param>
    public void Error(params object?[] values) => Write("error", values);

    private void Write(string level, object?[] values)
    {
        var text = string.Join(' ', values.Select(Format));
        _session.Record(r => r.RecordConsole(level, text));
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f when value.GetType().IsPrimitive || value is decimal => f.ToString(null, CultureInfo.InvariantCulture),
        _ => TrySerialize(value),
    };

    private static string TrySerialize(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value, value.GetType());
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return value.ToString() ?? "";
        }
    }
}
