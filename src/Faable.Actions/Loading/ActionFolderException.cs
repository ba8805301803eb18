namespace Faable.Actions.Loading;

/// <summary>A folder of actions could not be loaded: the message names the file and what to fix.</summary>
public sealed class ActionFolderException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file or folder at fault.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ActionFolderException(string path, string message, Exception? innerException = null)
        : base($"{path}: {message}", innerException)
    {
        Path = path;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }
}
