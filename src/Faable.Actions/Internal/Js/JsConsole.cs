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

    // Node's util.format: a leading string's %s %d %i %f %j %o %O %c and %% consume arguments; the rest are appended,
    // separated by spaces, strings as they are and other values inspected.
    private static string Format(Engine engine, JsValue[] args)
    {
        if (args.Length == 1 && args[0].IsString())
        {
            return args[0].AsString();
        }

        var text = new StringBuilder();
        var next = 0;
        if (args.Length > 1 && args[0].IsString())
        {
            var format = args[0].AsString();
            next = 1;
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] != '%' || i + 1 == format.Length)
                {
                    text.Append(format[i]);
                    continue;
                }

                var specifier = format[i + 1];
                if (specifier == '%')
                {
                    text.Append('%');
                    i++;
                    continue;
                }

                if (next >= args.Length || specifier is not ('s' or 'd' or 'i' or 'f' or 'j' or 'o' or 'O' or 'c'))
                {
                    text.Append('%');
                    continue;
                }

                var value = args[next++];
                i++;
                text.Append(specifier switch
                {
                    's' => value.IsString() ? value.AsString() : FormatOne(engine, value),
                    'd' => value.IsBigInt() ? FormatOne(engine, value) : value.IsObject() ? "NaN" : FormatOne(engine, JsNumber.Create(Jint.Runtime.TypeConverter.ToNumber(value))),
                    'i' => value.IsBigInt() ? FormatOne(engine, value) : FormatOne(engine, engine.Call(engine.Global.Get("parseInt"), JsValue.Undefined, [value])),
                    'f' => FormatOne(engine, engine.Call(engine.Global.Get("parseFloat"), JsValue.Undefined, [value])),
                    'j' => Json(engine, value),
                    'c' => "",
                    _ => FormatOne(engine, value),
                });
            }
        }

        for (var i = next; i < args.Length; i++)
        {
            if (text.Length > 0 || i > 0)
            {
                text.Append(' ');
            }

            text.Append(args[i].IsString() ? args[i].AsString() : FormatOne(engine, args[i]));
        }

        return text.ToString();
    }

    private static string Json(Engine engine, JsValue value)
    {
        try
        {
            var json = new JsonSerializer(engine).Serialize(value);
            return json.IsString() ? json.AsString() : "undefined";
        }
        catch (Jint.Runtime.JavaScriptException)
        {
            return "[Circular]";
        }
    }

    private static string FormatOne(Engine engine, JsValue value)
    {
        if (value.IsString())
        {
            return value.AsString();
        }

        if (value.IsNumber() && value.AsNumber() == 0 && double.IsNegative(value.AsNumber()))
        {
            return "-0";
        }

        if (value.IsBigInt())
        {
            return value.ToString() + "n";
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
