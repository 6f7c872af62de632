using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace WalkieTalkie.Gateway.Tests.Support.Postgres;

/// <summary>
/// A throwaway PostgreSQL server on loopback, one for the whole test run: made with Debian's <c>initdb</c> in a
/// temporary folder, started with <c>pg_ctl</c> on a free port (fsync off: nothing here must survive a crash of the
/// machine), and stopped and deleted when the test process exits. PostgreSQL refuses to run as root, so under root
/// it runs as the <c>postgres</c> user the Debian package makes.
/// </summary>
public sealed class PostgresServer
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private const string ServiceUser = "postgres";
    private const string FolderPrefix = "wt-pg-";
    private const string OwnerFile = "test-run.pid";

    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _bin;
    private readonly string _folder;
    private readonly string _password;

    private PostgresServer(string bin, string folder, int port, string password)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
        _password = password;
    }

    /// <summary>The run's server, started at the first call.</summary>
    public static PostgresServer Instance => Shared.Value;

    public int Port { get; }

    /// <summary>Where the server keeps its files (the cluster's data folder).</summary>
    public string DataDirectory => Path.Combine(_folder, "data");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Password = _password, Database = database,
    }.ToString();

    /// <summary>A new, empty database with a unique name; returns its connection string.</summary>
    public string CreateDatabase(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    private static PostgresServer Start()
    {
        var bin = FindBinaries();
        var asRoot = Environment.UserName == "root";
        RemoveLeftovers(bin, asRoot);
        var folder = asRoot
            ? Run(asRoot, "mktemp", "-d", Path.Combine(Path.GetTempPath(), FolderPrefix + "XXXXXX")).Trim()
            : Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        File.WriteAllText(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(folder, "pw");
        File.WriteAllText(passwordFile, password);
        Run(asRoot, Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", "postgres", "-E", "UTF8", "--no-sync",
            "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}");
        File.Delete(passwordFile);

        var port = FreePort();
        Run(asRoot, Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            + " -c max_connections=300",
            "start");
        var server = new PostgresServer(bin, folder, port, password);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);
        return server;
    }

    // One shell stops the server and deletes its folder: it finishes even when the test host is ended right after
    // its exit handlers started.
    private void Stop(bool asRoot) => Stop(_bin, _folder, asRoot);

    private static void Stop(string bin, string folder, bool asRoot) =>
        Run(asRoot, "sh", "-c", "\"$0\" -D \"$1/data\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$1\"", Path.Combine(bin, "pg_ctl"), folder);

    // Servers of test runs that ended without stopping theirs (a killed test host): stopped and deleted.
    private static void RemoveLeftovers(string bin, bool asRoot)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                Stop(bin, folder, asRoot);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string FindBinaries()
    {
        var bin = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL's initdb and pg_ctl were not found under {BinariesRoot}/*/bin: scripts/install-test-deps installs Debian's postgresql");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Under root, as the postgres user (runuser keeps the arguments apart, no shell in between).
    private static string Run(bool asRoot, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(asRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asRoot)
        {
            foreach (var prefix in new[] { "-u", ServiceUser, "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }

        return output.Result;
    }
}
