using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>
/// The published web walkie (artifacts/webwalkie), made once per run: published again only when a source of the client
/// (or of the portable code it runs) changed since the last publish. A file lock keeps test classes from publishing twice.
/// </summary>
public static class PublishedClient
{
    private static readonly Lazy<string> Folder = new(Ensure, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Folder.Value;

    private static string Ensure()
    {
        var output = RepositoryFiles.PathOf("artifacts/webwalkie");
        var stamp = System.IO.Path.Combine(output, "published-from.txt");
        var fingerprint = Fingerprint();
        Directory.CreateDirectory(RepositoryFiles.PathOf("artifacts"));
        using var gate = Lock(RepositoryFiles.PathOf("artifacts/webwalkie.lock"));
        if (File.Exists(stamp) && File.ReadAllText(stamp) == fingerprint && File.Exists(System.IO.Path.Combine(output, "wwwroot", "index.html")))
        {
            return output;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryFiles.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "publish", "src/WalkieTalkie.WebWalkie", "-c", "Release", "-o", output, "--nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(12)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"publishing the web walkie failed:\n{stdout.Result}\n{stderr.Result}");
        }

        File.WriteAllText(stamp, fingerprint);
        return output;
    }

    // Names, sizes and times of every source the client is built from.
    private static string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var folder in new[] { "src/WalkieTalkie.WebWalkie", "src/WalkieTalkie.Protocol", "src/WalkieTalkie.Badge" })
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryFiles.PathOf(folder), "*", SearchOption.AllDirectories)
                         .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("/node_modules/") && !f.Contains("/wwwroot/lib/"))
                         .Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                text.Append(file).Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
            }
        }

        // The widget API comes from npm (scripts/install-test-deps): a client published before it was installed lacks it.
        var widgetApi = new FileInfo(RepositoryFiles.PathOf("src/WalkieTalkie.WebWalkie/js/node_modules/matrix-widget-api/dist/api.js"));
        text.Append(widgetApi.FullName).Append(' ').Append(widgetApi.Exists ? widgetApi.Length : -1).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static FileStream Lock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1500)
            {
                Thread.Sleep(500);
            }
        }
    }
}
