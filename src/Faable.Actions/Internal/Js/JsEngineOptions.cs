using Jint;

namespace Faable.Actions.Internal.Js;

/// <summary>The sandbox configuration of every engine, one place for every limit.</summary>
internal static class JsEngineOptions
{
    /// <summary>Options for an engine that only lists built-ins; it never runs action code.</summary>
    public static void ForInspection(Options options) => options.Strict = true;

    /// <summary>
    /// Configures one run's engine. <see cref="ActionLimits.Timeout"/> is enforced three ways: the interpreter's own
    /// per-entry interval (which alone bounds the first step, started with the run), the wall-clock token (armed with
    /// the time left once the run outlives its first step; the only thing that interrupts a busy loop in a later
    /// entry), and the host's stopwatch between steps.
    /// </summary>
    /// <remarks>
    /// No statement cap: code that only computes ends at the timeout, as on Faable. Memory is bounded by what the
    /// action holds (<see cref="JsRunConstraint"/>), not by what it allocated; the interpreter's allocation counter
    /// stays registered only so that a single <c>a + b</c> longer than the limit fails at once, and the run constraint
    /// resets it at each passed check.
    /// </remarks>
    public static void Configure(Options options, ActionLimits limits, Jint.Runtime.ITimeSystem time, JsRunConstraint run, CancellationToken wallClock)
    {
        // Node runs an action as a CommonJS module: sloppy mode unless the file says 'use strict'.
        options.Strict = false;
        options.TimeSystem = time;
        options.TimeoutInterval(limits.Timeout);
        options.CancellationToken(wallClock);
        options.LimitMemory(JsRunConstraint.MaxSingleAllocation(limits));
        run.Attach(options);
        options.Constraint(run);

        // LimitRecursion counts frames of one definition at call expressions; recursion through getters, valueOf,
        // Proxy traps or template toString never reaches it and would kill the process. The stack guard measures
        // the native stack on every route into a function body and turns that into a catchable RangeError.
        options.LimitRecursion(limits.MaxRecursionDepth);
        options.Constraints.StackOverflowGuard = true;

        // A regular expression match is not interrupted by the timeout: it gets the time left (kept current by the run
        // constraint), so a catastrophic pattern ends with the budget.
        options.Constraints.RegexTimeout = run.RegexTimeoutNow;
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
