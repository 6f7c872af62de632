using System.Diagnostics;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Tests.Interop;

/// <summary>Drives tests/interop/libolm/olm_peer.py (libolm 3.2.13 through Debian's python3-olm) over JSON lines.</summary>
public sealed class LibolmPeer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private int _nextId;

    public LibolmPeer()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: install python3-olm (scripts/deps/apt-packages)");
        }

        var start = new ProcessStartInfo(Python, [ScriptPath()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the libolm peer");
    }

    /// <summary>Sends one request; returns its result or throws <see cref="LibolmException"/> with libolm's error.</summary>
    public JsonObject Call(string op, JsonObject? arguments = null)
    {
        var request = arguments is null ? new JsonObject() : (JsonObject)arguments.DeepClone();
        request["op"] = op;
        request["id"] = ++_nextId;
        _process.StandardInput.WriteLine(request.ToJsonString());
        _process.StandardInput.Flush();
        var read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(ReplyTimeout) || read.Result is null)
        {
            throw new InvalidOperationException($"the libolm peer did not answer {op}: {_process.StandardError.ReadToEnd()}");
        }

        var reply = JsonNode.Parse(read.Result)!.AsObject();
        if (reply["error"] is { } error)
        {
            throw new LibolmException(error.GetValue<string>());
        }

        return reply["result"]!.AsObject();
    }

    public JsonObject Call(string op, params (string Key, JsonNode? Value)[] arguments)
    {
        var request = new JsonObject();
        foreach (var (key, value) in arguments)
        {
            request[key] = value;
        }

        return Call(op, request);
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string ScriptPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop", "libolm", "olm_peer.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("tests/interop/libolm/olm_peer.py not found above " + AppContext.BaseDirectory);
    }
}

public sealed class LibolmException(string message) : Exception(message);
