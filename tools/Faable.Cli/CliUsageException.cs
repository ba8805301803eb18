namespace Faable.Cli;

/// <summary>A mistake in the command line or an input file; the message says what to fix. Exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliUsageException()
    {
    }
}
