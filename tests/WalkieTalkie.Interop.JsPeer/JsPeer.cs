using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

/// <summary>
/// A matrix-js-sdk 43 peer with Rust crypto (<c>tests/interop/js/peer.mjs</c>) in a Node subprocess, driven
/// through JSON lines: one process is one Matrix device. The process is killed on dispose, whatever state it
/// is in. The typed methods (in the other <c>JsPeer.*.cs</c> files) cover the commands; <see cref="SendAsync"/> sends
/// any command of <c>peer.mjs</c> raw. Every wait is bounded: by its <c>timeout</c> argument on the peer's side and by
/// that plus a margin here, so a test never hangs on the peer. Failures carry the peer's stderr (<see cref="Log"/>).
/// </summary>
public sealed partial class JsPeer : IAsyncDisposable
{
    /// <summary>Default bound of one command, on top of the command's own <c>timeoutMs</c>.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _logSink;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _nextId;

    private JsPeer(Process process, string name, Action<string>? logSink)
    {
        _process = process;
        Name = name;
        _logSink = logSink;
    }

    /// <summary>A name for log lines (e.g. "alice").</summary>
    public string Name { get; }

    /// <summary>Everything the peer wrote to stderr (js-sdk and Rust crypto logs, last 2000 lines), for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Log"/>.</summary>
    public string LogTail(int lines) => string.Join('\n', _log.ToArray().TakeLast(lines));

    /// <summary>Starts <c>node peer.mjs</c> and waits until it has loaded matrix-js-sdk.</summary>
    /// <param name="name">Prefix of this peer's log lines.</param>
    /// <param name="logSink">Receives each stderr line (e.g. xunit's <c>ITestOutputHelper.WriteLine</c>).</param>
    /// <param name="logLevel">js-sdk log level: trace, debug, info, warn (default), error.</param>
    /// <param name="cancellationToken">Bounds the start.</param>
    public static async Task<JsPeer> StartAsync(string name, Action<string>? logSink = null, string logLevel = "warn",
        CancellationToken cancellationToken = default)
    {
        var (node, script) = InteropPaths.NodeAndPeerScript();
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        info.ArgumentList.Add(script);
        info.Environment["PEER_LOG_LEVEL"] = logLevel;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new JsPeer(process, name, logSink);
        process.OutputDataReceived += (_, e) => peer.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => peer.OnError(e.Data);
        process.Exited += (_, _) => peer.OnExited();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {node}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await peer._ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
        return peer;
    }

    /// <summary>Sends a command and returns its <c>result</c>.</summary>
    /// <exception cref="JsPeerException">The peer answered <c>ok: false</c>, exited, or did not answer in time.</exception>
    public async Task<JsonObject> SendAsync(string command, object? arguments = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = arguments is null ? new JsonObject()
            : JsonSerializer.SerializeToNode(arguments, JsonOptions) as JsonObject
              ?? throw new ArgumentException("Arguments must serialize to a JSON object", nameof(arguments));
        request["id"] = id;
        request["cmd"] = command;
        var bound = timeout ?? DefaultCommandTimeout;
        if (request["timeoutMs"] is JsonValue ms && long.TryParse(ms.ToJsonString(), out var commandMs))
        {
            bound = TimeSpan.FromMilliseconds(commandMs) + TimeSpan.FromSeconds(15);
        }

        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (_process.HasExited)
            {
                throw new JsPeerException($"{Name}: the peer process has exited\n{LogTail(80)}");
            }

            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                await _process.StandardInput.WriteLineAsync(request.ToJsonString());
                await _process.StandardInput.FlushAsync(cancellationToken);
            }
            finally
            {
                _writeLock.Release();
            }
            JsonNode? response;
            try
            {
                response = await answer.Task.WaitAsync(bound, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new JsPeerException($"{Name}: '{command}' got no answer within {bound.TotalSeconds:0} s\n{LogTail(80)}");
            }
            if (response?["ok"]?.GetValue<bool>() != true)
            {
                throw new JsPeerException($"{Name}: '{command}' failed: {response?["error"]}\n--- peer log (last lines) ---\n{LogTail(40)}");
            }

            return response["result"] as JsonObject ?? new JsonObject();
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private void OnOutput(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        JsonNode? message;
        try { message = JsonNode.Parse(line); }
        catch (JsonException)
        {
            OnError("[stdout, not JSON] " + line);
            return;
        }
        var id = message?["id"];
        if (id is null)
        {
            if (message?["result"]?["ready"]?.GetValue<bool>() == true)
            {
                _ready.TrySetResult();
            }

            return;
        }
        if (id is JsonValue v && v.TryGetValue<long>(out var n) && _pending.TryGetValue(n, out var answer))
        {
            answer.TrySetResult(message);
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 2000)
        {
            _log.TryDequeue(out _);
        }

        try
        {
            _logSink?.Invoke($"[{Name}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test that owned the sink has finished.
        }
    }

    private void OnExited()
    {
        var error = new JsPeerException($"{Name}: the peer process exited with code {SafeExitCode()}\n{LogTail(80)}");
        _ready.TrySetException(error);
        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(error);
        }
    }

    private string SafeExitCode()
    {
        try { return _process.ExitCode.ToString(); }
        catch (InvalidOperationException) { return "?"; }
    }

    /// <summary>Closes stdin (the peer stops its client and exits), waits briefly, then kills the process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try { await _process.WaitForExitAsync(grace.Token); }
                catch (OperationCanceledException) { }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
        }
        finally
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
            _writeLock.Dispose();
        }
    }
}

