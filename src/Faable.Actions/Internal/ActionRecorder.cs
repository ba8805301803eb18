using System.Text.Json.Nodes;

namespace Faable.Actions.Internal;

/// <summary>
/// What one action asked of <c>api</c> and wrote to <c>console</c>, recorded host-side so that a script
/// overwriting its own <c>api</c> object changes nothing. One instance per action run.
/// </summary>
internal sealed class ActionRecorder
{
    private readonly List<RecordedCall> _calls = [];
    private readonly List<RecordedConsoleLine> _console = [];
    private readonly int _maxConsoleBytes;
    private readonly int _maxConsoleLines;
    private int _consoleBytes;

    public ActionRecorder(ActionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _maxConsoleBytes = limits.MaxConsoleBytes;
        _maxConsoleLines = limits.MaxConsoleLines;
    }

    /// <summary>Every api call in order (deny, review, sendUserTo), including ones that lost to an earlier decision.</summary>
    public IReadOnlyList<RecordedCall> Calls => _calls;

    /// <summary>Console output kept within the quota.</summary>
    public IReadOnlyList<RecordedConsoleLine> Console => _console;

    /// <summary>True when console output was dropped because of the quota.</summary>
    public bool ConsoleTruncated { get; private set; }

    /// <summary>The first deny of this action, if any. Deny wins over any redirect of the same action.</summary>
    public RecordedDeny? Deny { get; private set; }

    /// <summary>The first valid redirect of this action, if any.</summary>
    public string? RedirectUrl { get; private set; }

    /// <summary>
    /// Work of the run that outlived it and could not be stopped (a C# script in busy code after its timeout); the
    /// run's execution slot stays taken until it ends.
    /// </summary>
    public Task? StillRunning { get; set; }

    /// <summary>Review flags, in order.</summary>
    public List<RecordedReview> Reviews { get; } = [];

    public void RecordDeny(string reason, string? code, JsonNode? details, TimeSpan? blockFor)
    {
        _calls.Add(new RecordedCall("api.access.deny", reason));
        Deny ??= new RecordedDeny(reason, code, details, blockFor);
    }

    public void RecordReview(string code, JsonNode? details)
    {
        _calls.Add(new RecordedCall("api.access.review", code));
        Reviews.Add(new RecordedReview(code, details));
    }

    public void RecordRedirect(string url)
    {
        _calls.Add(new RecordedCall("api.redirect.sendUserTo", url));
        RedirectUrl ??= url;
    }

    /// <summary>Keeps a console line if the quota allows; returns false once output is being dropped.</summary>
    public bool RecordConsole(string level, string text)
    {
        if (ConsoleTruncated)
        {
            return false;
        }

        var remaining = _maxConsoleBytes - _consoleBytes;
        if (_console.Count >= _maxConsoleLines || remaining <= 0)
        {
            ConsoleTruncated = true;
            return false;
        }

        if (text.Length > remaining)
        {
            text = text[..remaining];
            ConsoleTruncated = true;
        }

        _consoleBytes += text.Length;
        _console.Add(new RecordedConsoleLine(level, text));
        return !ConsoleTruncated;
    }
}

/// <summary>One call to <c>api</c>, with its main argument, for traces.</summary>
internal sealed record RecordedCall(string Method, string Argument);

/// <summary>One console line.</summary>
internal sealed record RecordedConsoleLine(string Level, string Text);

/// <summary>A recorded <c>api.access.deny</c>.</summary>
internal sealed record RecordedDeny(string Reason, string? Code, JsonNode? Details, TimeSpan? BlockFor);

/// <summary>A recorded <c>api.access.review</c>.</summary>
internal sealed record RecordedReview(string Code, JsonNode? Details);
