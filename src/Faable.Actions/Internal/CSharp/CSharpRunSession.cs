namespace Faable.Actions.Internal.CSharp;

/// <summary>
/// The host side of one C# script run. A script that outlives its timeout keeps running on its thread (it cannot be
/// interrupted), so every record goes through a lock and is dropped once the host has closed the run.
/// </summary>
internal sealed class CSharpRunSession
{
    private readonly Lock _gate = new();
    private readonly ActionRecorder _recorder;
    private bool _closed;

    public CSharpRunSession(string actionName, ActionRecorder recorder, ActionLimits limits)
    {
        ActionName = actionName;
        _recorder = recorder;
        Limits = limits;
    }

    public string ActionName { get; }

    public ActionLimits Limits { get; }

    public void Record(Action<ActionRecorder> record)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                record(_recorder);
            }
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    public ActionScriptException Fault(string message) => new(ActionName, message);
}
