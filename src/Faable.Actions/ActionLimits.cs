namespace Faable.Actions;

/// <summary>
/// The sandbox limits every action runs under. All are finite: validation refuses zero, negative and
/// sentinel values such as <see cref="int.MaxValue"/>, which in the interpreter switch a protection off.
/// </summary>
public sealed class ActionLimits
{
    /// <summary>
    /// Wall-clock budget of one action, awaits included. It is the only limit on how long code computes: a busy loop
    /// ends here with <see cref="ActionTimeoutException"/>, as on Faable, and no statement count ends it first. A
    /// regular-expression match gets at most the time left in this budget.
    /// </summary>
    /// <value>Defaults to 5 seconds, Faable's own limit.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most bytes one action may hold (what it keeps reachable, not what it allocated and dropped): the growth of the
    /// live managed heap while the action runs, confirmed by a garbage collection before the action is failed. A
    /// single string, array buffer or encoded text larger than half of this is refused before it is made. Both end the
    /// action with <see cref="ActionLimitExceededException"/> (<c>Limit = "MaxMemoryBytes"</c>).
    /// </summary>
    /// <value>Defaults to 64 MiB.</value>
    public long MaxMemoryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Deepest JavaScript call stack.</summary>
    /// <value>Defaults to 256.</value>
    public int MaxRecursionDepth { get; set; } = 256;

    /// <summary>Largest JavaScript array.</summary>
    /// <value>Defaults to 1,000,000 elements.</value>
    public uint MaxArraySize { get; set; } = 1_000_000;

    /// <summary>Most bytes of <c>console</c> output kept per action; output beyond is dropped and marked truncated.</summary>
    /// <value>Defaults to 64 KiB.</value>
    public int MaxConsoleBytes { get; set; } = 64 * 1024;

    /// <summary>Most <c>console</c> lines kept per action.</summary>
    /// <value>Defaults to 1,000.</value>
    public int MaxConsoleLines { get; set; } = 1_000;

    /// <summary>
    /// Most actions one engine runs at the same time, all logins together; a run beyond waits for a slot (at most
    /// <see cref="ConcurrencyWait"/>). Bounds the CPU and memory a burst of logins can take.
    /// </summary>
    /// <value>Defaults to 4 × <see cref="Environment.ProcessorCount"/>.</value>
    public int MaxConcurrentExecutions { get; set; } = 4 * Environment.ProcessorCount;

    /// <summary>
    /// Longest time a run waits for one of the <see cref="MaxConcurrentExecutions"/> slots before it fails with
    /// <see cref="ActionLimitExceededException"/> (<c>Limit = "MaxConcurrentExecutions"</c>) rather than queueing
    /// without end. Not counted in <see cref="Timeout"/>, which starts when the action starts.
    /// </summary>
    /// <value>Defaults to 5 seconds; at most 1 minute.</value>
    public TimeSpan ConcurrencyWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <c>api.redirect.sendUserTo</c> accepts plain <c>http://</c> to a loopback host (development pages).</summary>
    /// <value>Defaults to <see langword="true"/>; every other plain <c>http://</c> URL is always refused.</value>
    public bool AllowHttpLoopbackRedirects { get; set; } = true;

    /// <summary>Longest URL accepted by <c>api.redirect.sendUserTo</c>.</summary>
    /// <value>Defaults to 2,048 characters.</value>
    public int MaxRedirectUrlLength { get; set; } = 2048;
}
