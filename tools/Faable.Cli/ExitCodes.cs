namespace Faable.Cli;

/// <summary>The exit codes of every command (documented in the tool's README and in <c>faable --help</c>).</summary>
internal static class ExitCodes
{
    /// <summary>Done: the token is accepted, the webhook was answered 2xx, the login was allowed, the emulator stopped cleanly.</summary>
    public const int Ok = 0;

    /// <summary>The answer is no: the token is rejected, the webhook was not answered 2xx, the login was denied.</summary>
    public const int Rejected = 1;

    /// <summary><c>actions run</c>: the login was redirected and not continued.</summary>
    public const int Redirected = 2;

    /// <summary><c>actions run</c>: an action failed (threw, timed out, exceeded a limit, does not compile).</summary>
    public const int Failed = 3;

    /// <summary>The command line or an input file is wrong; the message says what to fix (sysexits' EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>Something the command needs is unavailable: a port in use, a URL that does not answer (sysexits' EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;
}
