using System.Diagnostics;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// The bench's child processes of clients: this same program started in a mode of its own, told what to do on stdin,
/// answering on stdout, and ending when its stdin closes.
/// </summary>
public static class ClientProcess
{
    public static Process Start(params string[] arguments) => Start(false, arguments);

    /// <summary>As <see cref="Start(string[])"/>, for the server measured: the list of what the runtime compiles
    /// (<see cref="JitList"/>) is kept for it when asked for.</summary>
    public static Process StartServer(params string[] arguments) => Start(true, arguments);

    private static Process Start(bool server, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (!server)
        {
            // What the runtime compiled is listed for the server's process only: a client listing it on its stdout
            // would fill the pipe its answers go through.
            info.Environment.Remove("DOTNET_JitStdOutFile");
            info.Environment.Remove("DOTNET_JitDisasmSummary");
        }

        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(typeof(ClientProcess).Assembly.Location);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    /// <summary>The child's next line starting with <paramref name="prefix"/> (others go to stderr); null when it ended first.</summary>
    public static async Task<string?> ReadLineStartingAsync(Process child, string prefix)
    {
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }

            Console.Error.WriteLine("  " + line);
        }

        return null;
    }

    /// <summary>Closes each child's stdin and waits for it to end (20 s, then it is killed).</summary>
    public static void StopAll(IEnumerable<Process> children)
    {
        foreach (var child in children)
        {
            child.StandardInput.Close();
            if (!child.WaitForExit(20000))
            {
                child.Kill();
            }

            child.Dispose();
        }
    }
}
