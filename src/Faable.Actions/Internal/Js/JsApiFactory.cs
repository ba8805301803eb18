using System.Text.Json.Nodes;
using Faable.Actions.Internal.Api;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// Builds a fresh <c>api</c> for one run. Every call is recorded host-side in the <see cref="ActionRecorder"/>, so a
/// script that overwrites <c>api.access.deny</c> changes only its own view. Unknown members fail with the list of
/// members that exist instead of <c>undefined is not a function</c>.
/// </summary>
internal static class JsApiFactory
{
    private const int MaxDetailsChars = 16 * 1024;

    public static ObjectInstance Create(Engine engine, ActionRecorder recorder, ActionLimits limits)
    {
        // api.access and api.redirect are built when first read; an action uses one of them, often neither.
        var state = new ApiState(engine, recorder, limits);
        var api = new JsObject(engine);
        api.FastSetProperty("access", PropertyDescriptor.CreateLazy(state, static s => CreateAccess(s.Engine, s.Recorder), PropertyFlag.ConfigurableEnumerableWritable));
        api.FastSetProperty("redirect", PropertyDescriptor.CreateLazy(state, static s => CreateRedirect(s.Engine, s.Recorder, s.Limits), PropertyFlag.ConfigurableEnumerableWritable));
        return engine.Advanced.CreateProxy(api, new StrictMembers(engine, "api"));
    }

    private sealed record ApiState(Engine Engine, ActionRecorder Recorder, ActionLimits Limits);

    private static ObjectInstance CreateAccess(Engine engine, ActionRecorder recorder)
    {
        var access = new JsObject(engine);
        access.FastSetDataProperty("deny", new ClrFunction(engine, "deny", (_, args) => Deny(engine, recorder, args), 2));
        access.FastSetDataProperty("review", new ClrFunction(engine, "review", (_, args) => Review(engine, recorder, args), 2));
        return engine.Advanced.CreateProxy(access, new StrictMembers(engine, "api.access"));
    }

    private static ObjectInstance CreateRedirect(Engine engine, ActionRecorder recorder, ActionLimits limits)
    {
        var redirect = new JsObject(engine);
        redirect.FastSetDataProperty("sendUserTo", new ClrFunction(engine, "sendUserTo", (_, args) => SendUserTo(engine, recorder, limits, args), 1));
        return engine.Advanced.CreateProxy(redirect, new StrictMembers(engine, "api.redirect"));
    }

    private static JsValue Deny(Engine engine, ActionRecorder recorder, JsValue[] args)
    {
        var reason = Arg(args, 0);
        if (DenyReason.Check(reason.IsString() ? reason.AsString() : null) is { } refused)
        {
            throw Fault(engine, "api.access.deny(reason, options): " + refused);
        }

        string? code = null;
        JsonNode? details = null;
        TimeSpan? blockFor = null;
        var options = Arg(args, 1);
        if (!options.IsUndefined() && !options.IsNull())
        {
            if (!options.IsObject())
            {
                throw Fault(engine, "api.access.deny: the second argument must be an options object { blockFor, code, details }.");
            }

            var o = options.AsObject();
            var codeValue = o.Get("code");
            if (!codeValue.IsUndefined())
            {
                code = codeValue.IsString() ? codeValue.AsString() : throw Fault(engine, "api.access.deny: options.code must be a string.");
            }

            details = Details(engine, o.Get("details"), "api.access.deny: options.details");
            var block = o.Get("blockFor");
            if (!block.IsUndefined() && !block.IsNull())
            {
                blockFor = BlockFor(engine, block);
            }
        }

        recorder.RecordDeny(reason.AsString(), code, details, blockFor);
        return JsValue.Undefined;
    }

    private static JsValue Review(Engine engine, ActionRecorder recorder, JsValue[] args)
    {
        var code = Arg(args, 0);
        if (!code.IsString() || code.AsString().Length == 0)
        {
            throw Fault(engine, "api.access.review(code, details) needs a non-empty code string.");
        }

        recorder.RecordReview(code.AsString(), Details(engine, Arg(args, 1), "api.access.review: details"));
        return JsValue.Undefined;
    }

    private static JsValue SendUserTo(Engine engine, ActionRecorder recorder, ActionLimits limits, JsValue[] args)
    {
        var url = Arg(args, 0);
        if (!url.IsString())
        {
            throw Fault(engine, "api.redirect.sendUserTo(url) needs the URL as a string.");
        }

        var error = RedirectUrlValidator.Validate(url.AsString(), limits.MaxRedirectUrlLength, limits.AllowHttpLoopbackRedirects);
        if (error is not null)
        {
            throw Fault(engine, "api.redirect.sendUserTo refused the URL: " + error);
        }

        recorder.RecordRedirect(url.AsString());
        return JsValue.Undefined;
    }

    private static TimeSpan BlockFor(Engine engine, JsValue block)
    {
        string? error;
        TimeSpan value;
        if (block.IsNumber())
        {
            error = BlockForParser.TryFromMilliseconds(block.AsNumber(), out value);
        }
        else if (block.IsString())
        {
            error = BlockForParser.TryParse(block.AsString(), out value);
        }
        else
        {
            error = "blockFor must be a string like '48h' or a number of milliseconds.";
            value = default;
        }

        return error is null ? value : throw Fault(engine, "api.access.deny: " + error);
    }

    private static JsonNode? Details(Engine engine, JsValue value, string what)
    {
        if (value.IsUndefined())
        {
            return null;
        }

        JsValue json;
        try
        {
            json = new JsonSerializer(engine).Serialize(value);
        }
        catch (Jint.Runtime.JavaScriptException ex)
        {
            throw Fault(engine, $"{what} must be JSON-serializable: {ex.Message}");
        }

        if (!json.IsString())
        {
            return null;
        }

        var text = json.AsString();
        if (text.Length > MaxDetailsChars)
        {
            throw Fault(engine, $"{what} is {text.Length} characters of JSON; at most {MaxDetailsChars} are kept in the audit log.");
        }

        return JsonNode.Parse(text);
    }

    private static JsValue Arg(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;

    internal static JsHostFault Fault(Engine engine, string message) => new(message) { ScriptStack = engine.Advanced.StackTrace };

    /// <summary>Fails on reads of members that do not exist, naming the ones that do.</summary>
    private sealed class StrictMembers(Engine engine, string path) : ProxyHandler
    {
        public override JsValue Get(ObjectInstance target, JsValue property, JsValue receiver)
        {
            if (property.IsString() && !target.HasProperty(property))
            {
                var name = property.AsString();

                // Probes made by await, JSON.stringify and console formatting are not calls into api.
                if (name is "then" or "toJSON" or "constructor" or "inspect" or "asymmetricMatch" or "nodeType" or "$$typeof")
                {
                    return JsValue.Undefined;
                }

                var members = string.Join(", ", target.GetOwnPropertyKeys(Jint.Runtime.Types.String).Select(k => k.ToString()));
                throw Fault(engine, $"{path}.{name} is not part of the Faable Actions api; {path} has: {members}.");
            }

            return target.Get(property, receiver);
        }
    }
}
