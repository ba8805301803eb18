using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary><c>console.log/info/warn/error/debug</c>, captured into the recorder within its quota.</summary>
internal static class JsConsole
{
    public static JsObject Create(Engine engine, ActionRecorder recorder)
    {
        var console = new JsObject(engine);
        foreach (var (name, level) in new[] { ("log", "log"), ("info", "info"), ("debug", "debug"), ("warn", "warn"), ("error", "error") })
        {
            console.FastSetDataProperty(name, new ClrFunction(engine, name, (_, args) =>
            {
                if (!recorder.ConsoleTruncated)
                {
                    recorder.RecordConsole(level, Format(engine, args));
                }

                return JsValue.Undefined;
            }));
        }

        return console;
    }

    private static string Format(Engine engine, JsValue[] args)
    {
        if (args.Length == 1 && args[0].IsString())
        {
            return args[0].AsString();
        }

        var text = new StringBuilder();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(FormatOne(engine, args[i]));
        }

        return text.ToString();
    }

    private static string FormatOne(Engine engine, JsValue value)
    {
        if (value.IsString())
        {
            return value.AsString();
        }

        if (value.IsCallable())
        {
            return "[Function]";
        }

        if (value.IsObject() && !value.IsArray())
        {
            var o = value.AsObject();
            if (o is Jint.Native.Error.ErrorInstance)
            {
                var stack = o.Get("stack");
                return stack.IsString() ? $"{o.Get("name")}: {o.Get("message")}\n{stack.AsString()}" : $"{o.Get("name")}: {o.Get("message")}";
            }
        }

        if (value.IsObject())
        {
            try
            {
                var json = new JsonSerializer(engine).Serialize(value);
                if (json.IsString())
                {
                    return json.AsString();
                }
            }
            catch (Jint.Runtime.JavaScriptException)
            {
                // A cycle or a throwing toJSON: fall back to the tag.
            }

            return "[object Object]";
        }

        return value.ToString();
    }
}
