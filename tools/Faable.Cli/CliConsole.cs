namespace Faable.Cli;

/// <summary>Where a command reads its input and writes its output and errors.</summary>
/// <param name="In">Standard input.</param>
/// <param name="Out">Standard output: results only, so scripts can read them (one JSON document with <c>--json</c>).</param>
/// <param name="Error">Standard error: errors, notes and logs.</param>
/// <param name="InputRedirected">Whether standard input is a pipe or file rather than a terminal.</param>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool InputRedirected);
