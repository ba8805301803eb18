using System.Globalization;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Faable.Actions.Internal.Js;

/// <summary>Turns whatever the interpreter throws into the project's own exception family.</summary>
internal static partial class JsErrorTranslator
{
    private const string StackOverflowMessage = "Maximum call stack size exceeded";

    public static Exception Translate(Exception ex, string actionName, ActionLimits limits, CancellationToken caller, IReadOnlyList<string>? unknownGlobals = null)
    {
        switch (ex)
        {
            case FaableActionException:
                return ex;
            case RegexMatchTimeoutException when !caller.IsCancellationRequested:
                return limits.RegexTimeout < limits.Timeout
                    ? new ActionLimitExceededException(actionName, nameof(ActionLimits.RegexTimeout), $"a regular expression ran longer than {limits.RegexTimeout.TotalMilliseconds:0} ms (catastrophic backtracking?).", ex)
                    : new ActionTimeoutException(actionName, limits.Timeout, ex);
            case OperationCanceledException or ExecutionCanceledException or TimeoutException when caller.IsCancellationRequested:
                return new OperationCanceledException("The action run was cancelled by the caller.", ex, caller);
            case ExecutionCanceledException or TimeoutException or OperationCanceledException:
                return new ActionTimeoutException(actionName, limits.Timeout, ex);
            case StatementsCountOverflowException:
                return new ActionLimitExceededException(actionName, nameof(ActionLimits.MaxStatements), $"more than {limits.MaxStatements} statements were executed.", ex);
            case MemoryLimitExceededException when ex.Message.Contains("array size", StringComparison.OrdinalIgnoreCase):
                return new ActionLimitExceededException(actionName, nameof(ActionLimits.MaxArraySize), ex.Message, ex);
            case MemoryLimitExceededException:
                return new ActionLimitExceededException(actionName, nameof(ActionLimits.MaxMemoryBytes), $"the action allocated more than {limits.MaxMemoryBytes} bytes.", ex);
            case RecursionDepthOverflowException:
                return new ActionLimitExceededException(actionName, nameof(ActionLimits.MaxRecursionDepth), $"the call stack went deeper than {limits.MaxRecursionDepth} frames.", ex);
            case InsufficientExecutionStackException:
                return new ActionLimitExceededException(actionName, nameof(ActionLimits.MaxRecursionDepth), "the native stack ran out.", ex);
            case JsHostFault fault:
                {
                    var (line, column) = FirstFrame(fault.ScriptStack);
                    return new ActionScriptException(actionName, fault.Message, line, column, FixStack(fault.ScriptStack), fault);
                }

            case JavaScriptException js:
                return FromThrownValue(js.Error, actionName, ex, js, unknownGlobals);
            case PromiseRejectedException rejected:
                return FromThrownValue(rejected.RejectedValue, actionName, ex, null, unknownGlobals);
            case InvalidOperationException when ex.Message.Contains("Module loading", StringComparison.OrdinalIgnoreCase):
                return new ActionScriptException(actionName, "import() is not available in Faable Actions: modules and host modules cannot be loaded.", innerException: ex);
            case OutOfMemoryException:
                return new ActionLimitExceededException(actionName, nameof(ActionLimits.MaxMemoryBytes), "the process ran out of memory.", ex);
            default:
                return new ActionScriptException(actionName, $"the action failed: {ex.GetType().Name}: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>Translates a value the script threw or rejected with.</summary>
    public static Exception FromThrownValue(JsValue value, string actionName, Exception? inner, JavaScriptException? js, IReadOnlyList<string>? unknownGlobals = null)
    {
        int? line = null;
        int? column = null;
        string? stack = null;
        string message;

        if (value.IsObject() && value.AsObject().HasProperty("message") && value.AsObject().HasProperty("stack"))
        {
            var error = value.AsObject();
            var name = error.Get("name").ToString();
            var text = error.Get("message").ToString();
            if (name == "RangeError" && text == StackOverflowMessage)
            {
                return new ActionLimitExceededException(actionName, nameof(ActionLimits.MaxRecursionDepth), "the call stack overflowed (recursion through a call, getter, valueOf, Proxy trap or template literal).", inner);
            }

            message = $"{name}: {text}";
            if (name == "ReferenceError" && unknownGlobals is { Count: > 0 } && text.EndsWith(" is not defined", StringComparison.Ordinal)
                && unknownGlobals.Contains(text[..^" is not defined".Length], StringComparer.Ordinal))
            {
                message += " (" + JavaScriptActionRuntime.DescribeUnknownGlobals(unknownGlobals) + ")";
            }
            var stackValue = error.Get("stack");
            stack = stackValue.IsString() ? FixStack(stackValue.AsString()) : null;
            (line, column) = FirstFrame(stack);
        }
        else if (value.IsString())
        {
            var s = value.AsString();
            message = $"the action threw a string instead of an Error: '{Shorten(s)}'. Throw new Error('…') to get a stack.";
        }
        else
        {
            message = $"the action threw a non-Error value ({Describe(value)}). Throw new Error('…') to get a stack.";
        }

        if (js is not null && line is null)
        {
            var location = js.Location;
            if (location.Start.Line > 0)
            {
                line = location.Start.Line;
                column = (location.Start.Line == 1 ? location.Start.Column - JsDriver.PrefixLength : location.Start.Column) + 1;
                stack ??= FixStack(js.JavaScriptStackTrace);
            }
        }

        return new ActionScriptException(actionName, message, line, column, stack, inner);
    }

    private static string Describe(JsValue value)
    {
        if (value.IsUndefined() || value.IsNull() || value.IsNumber() || value.IsBoolean())
        {
            return value.ToString();
        }

        if (value.IsObject())
        {
            try
            {
                var engine = value.AsObject().Engine;
                var json = new JsonSerializer(engine).Serialize(value);
                return json.IsString() ? "object " + Shorten(json.AsString()) : "object";
            }
            catch (Exception ex) when (ex is JavaScriptException or JintException)
            {
                return "object";
            }
        }

        return value.Type.ToString().ToLowerInvariant();
    }

    private static string Shorten(string s) => s.Length > 200 ? s[..200] + "…" : s;

    private static (int? Line, int? Column) FirstFrame(string? stack)
    {
        if (stack is null)
        {
            return (null, null);
        }

        var match = FrameRegex().Match(stack);
        if (!match.Success)
        {
            return (null, null);
        }

        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Makes line-1 columns in a stack match the file (the driver's prefix shares that line).</summary>
    private static string? FixStack(string? stack) =>
        stack is null ? null : LineOneRegex().Replace(stack, m =>
            $"{JsDriver.SourceName}:1:{Math.Max(1, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - JsDriver.PrefixLength)}");

    [GeneratedRegex(@"action\.js:(\d+):(\d+)")]
    private static partial Regex FrameRegex();

    [GeneratedRegex(@"action\.js:1:(\d+)")]
    private static partial Regex LineOneRegex();
}
