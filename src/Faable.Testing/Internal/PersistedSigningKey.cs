using System.Security.Cryptography;

namespace Faable.Testing.Internal;

/// <summary>
/// The local tenant's signing key kept in a folder (<c>signing-key.pem</c>, PKCS#8), so tokens it issued still validate
/// after a restart. The <c>kid</c> is derived from the public key, so the same file always publishes the same key id.
/// </summary>
internal static class PersistedSigningKey
{
    public const string FileName = "signing-key.pem";
    private const int MinimumKeySize = 2048;

    public static TenantSigningKey LoadOrCreate(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException($"KeysPath: the folder '{folder}' cannot be created ({ex.Message}); choose a folder you can write to.", ex);
        }

        var file = Path.Combine(folder, FileName);
        if (!File.Exists(file))
        {
            TryCreate(file);
        }

        string pem;
        try
        {
            pem = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"KeysPath: '{file}' cannot be read ({ex.Message}); fix its permissions or delete it for a new key.", ex);
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);

            // A public-key PEM imports too, but cannot sign: require the private half.
            _ = rsa.ExportParameters(includePrivateParameters: true);
            if (rsa.KeySize < MinimumKeySize)
            {
                throw new CryptographicException($"the key has {rsa.KeySize} bits; at least {MinimumKeySize} are required");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException(
                $"KeysPath: '{file}' is not a PEM RSA private key of at least {MinimumKeySize} bits ({ex.Message}). Delete it and a new key is made at the next start (tokens signed with the old key then stop validating).",
                ex);
        }

        return TenantSigningKey.FromRsa(KeyIdOf(rsa), rsa);
    }

    /// <summary>The first 96 bits of SHA-256 over the modulus, hex: stable for a key, distinct between keys.</summary>
    internal static string KeyIdOf(RSA rsa)
    {
        var modulus = rsa.ExportParameters(includePrivateParameters: false).Modulus!;
        return Convert.ToHexStringLower(SHA256.HashData(modulus))[..24];
    }

    private static void TryCreate(string file)
    {
        using var rsa = RSA.Create(MinimumKeySize);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(file, options);
            writer.Write(pem);
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process made the key first: use theirs.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"KeysPath: '{file}' cannot be written ({ex.Message}); choose a folder you can write to.", ex);
        }
    }
}
