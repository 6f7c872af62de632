using System.Security.Cryptography;

namespace WalkieTalkie.Fuzz;

/// <summary>
/// The corpus on disk: tests/fuzz/seeds/{target} (made by the project's encoders) and tests/fuzz/corpus/{target}
/// (what afl found, minimised; crashes keep a <c>crash-</c> prefix). Files are named by a short hash of their bytes,
/// never by afl's names, whose ':' and ',' trouble some file systems.
/// </summary>
public static class CorpusFiles
{
    /// <summary>The file name for <paramref name="input"/>: 16 hex digits of its SHA-1.</summary>
    public static string NameFor(byte[] input) => Convert.ToHexStringLower(SHA1.HashData(input))[..16];

    /// <summary>Writes each input under its hash name; returns how many files were new.</summary>
    public static int Write(string directory, IEnumerable<byte[]> inputs)
    {
        Directory.CreateDirectory(directory);
        var added = 0;
        foreach (var input in inputs)
        {
            var path = Path.Combine(directory, NameFor(input));
            if (!File.Exists(path))
            {
                File.WriteAllBytes(path, input);
                added++;
            }
        }

        return added;
    }

    /// <summary>Every file of the seed and corpus folders of <paramref name="target"/> under <paramref name="fuzzRoot"/> (tests/fuzz).</summary>
    public static IEnumerable<string> Of(string fuzzRoot, string target) =>
        new[] { "seeds", "corpus" }
            .Select(folder => Path.Combine(fuzzRoot, folder, target))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Order(StringComparer.Ordinal);
}
