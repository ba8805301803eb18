using Jint;

namespace Faable.Actions.Internal.Js;

/// <summary>Web globals written in JavaScript over a few host helpers: URL, URLSearchParams, TextEncoder/Decoder, atob/btoa, crypto.</summary>
internal static class JsPrelude
{
    public static void Install(Engine engine)
    {
    }
}
