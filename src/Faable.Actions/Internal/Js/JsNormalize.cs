using System.Text;
using Jint;
using Jint.Native;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// <c>String.prototype.normalize</c> needs Unicode data that .NET takes from ICU. In a process with invariant
/// globalization (<c>InvariantGlobalization</c>, <c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT</c>, images without libicu)
/// <see cref="string.Normalize(NormalizationForm)"/> returns non-ASCII text unchanged, so <c>'Zoë'.normalize('NFD')</c>
/// would silently differ from Node. There the method is replaced by one that normalizes ASCII (which no form changes)
/// and refuses anything else with an error that says how to fix the host.
/// </summary>
internal static class JsNormalize
{
    private static readonly Lazy<bool> s_unavailable = new(() => "e\u0308".Normalize(NormalizationForm.FormC) != "\u00EB");

    public static bool Unavailable => s_unavailable.Value;

    public static void InstallGuard(Engine engine)
    {
        var prototype = engine.Global.Get("String").AsObject().Get("prototype").AsObject();
        prototype.FastSetProperty("normalize", new Jint.Runtime.Descriptors.PropertyDescriptor(
            new ClrFunction(engine, "normalize", (thisValue, args) => Normalize(engine, thisValue, args), 0),
            Jint.Runtime.Descriptors.PropertyFlag.NonEnumerable | Jint.Runtime.Descriptors.PropertyFlag.Writable | Jint.Runtime.Descriptors.PropertyFlag.Configurable));
    }

    private static JsString Normalize(Engine engine, JsValue thisValue, JsValue[] args)
    {
        if (thisValue.IsNull() || thisValue.IsUndefined())
        {
            throw new Jint.Runtime.JavaScriptException(engine.Intrinsics.TypeError, "String.prototype.normalize called on null or undefined");
        }

        var text = Jint.Runtime.TypeConverter.ToString(thisValue);
        var form = args.Length == 0 || args[0].IsUndefined() ? "NFC" : Jint.Runtime.TypeConverter.ToString(args[0]);
        if (form is not ("NFC" or "NFD" or "NFKC" or "NFKD"))
        {
            throw new Jint.Runtime.JavaScriptException(engine.Construct("RangeError", new JsString("The normalization form should be one of NFC, NFD, NFKC, NFKD.")));
        }

        if (Ascii.IsValid(text))
        {
            return new JsString(text);
        }

        throw JsApiFactory.Fault(engine, "String.prototype.normalize cannot normalize non-ASCII text in this process: .NET runs with invariant globalization (no ICU), which leaves the text unchanged where Node would normalize it. Install ICU (libicu) and turn off InvariantGlobalization / DOTNET_SYSTEM_GLOBALIZATION_INVARIANT in the host that runs the actions.");
    }
}
