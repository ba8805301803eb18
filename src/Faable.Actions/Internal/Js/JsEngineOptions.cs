using Jint;

namespace Faable.Actions.Internal.Js;

/// <summary>The sandbox configuration of every engine, one place for every limit.</summary>
internal static class JsEngineOptions
{
    /// <summary>Options for an engine that only lists built-ins; it never runs action code.</summary>
    public static void ForInspection(Options options) => options.Strict = true;

    /// <summary>
    /// Configures one run's engine. <see cref="ActionLimits.Timeout"/> is enforced three ways: the wall-clock token
    /// (the only thing that interrupts a busy loop across several interpreter entries), the interpreter's own
    /// per-entry interval, and the host's stopwatch between steps.
    /// </summary>
    public static void Configure(Options options, ActionLimits limits, Jint.Runtime.ITimeSystem time, CancellationToken wallClock)
    {
        // Node runs an action as a CommonJS module: sloppy mode unless the file says 'use strict'.
        options.Strict = false;
        options.TimeSystem = time;
        options.TimeoutInterval(limits.Timeout);
        options.CancellationToken(wallClock);
        options.MaxStatements(limits.MaxStatements);
        options.LimitMemory(limits.MaxMemoryBytes);

        // LimitRecursion counts frames of one definition at call expressions; recursion through getters, valueOf,
        // Proxy traps or template toString never reaches it and would kill the process. The stack guard measures
        // the native stack on every route into a function body and turns that into a catchable RangeError.
        options.LimitRecursion(limits.MaxRecursionDepth);
        options.Constraints.StackOverflowGuard = true;

        // A regular expression match is not interrupted by the timeout; bound it on its own, never past the budget.
        options.Constraints.RegexTimeout = limits.RegexTimeout < limits.Timeout ? limits.RegexTimeout : limits.Timeout;
        options.Constraints.PromiseTimeout = limits.Timeout;
        options.Constraints.MaxArraySize = limits.MaxArraySize;

        // eval and new Function run as in Node (Faable's documentation does not say its sandbox refuses them); the
        // code they compile runs under the same limits, without CLR access or a module loader.
        options.Host.StringCompilationAllowed = true;

        // No .NET types, no module loader: CLR interop stays off (the default) and modules are not enabled, so
        // importNamespace, System and import() have nothing to reach.
        options.Interop.Enabled = false;
    }
}
