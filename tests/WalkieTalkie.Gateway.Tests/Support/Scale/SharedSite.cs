using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Tests.Support.Scale;

/// <summary>
/// A scaled-out site for a test (docs/scale.md): gateways run as <c>walkie run</c> processes on one PostgreSQL and one
/// broker (<c>Mqtt:Mode = External</c>), each with a data folder of its own, and recordings in a folder they all see,
/// sealed with one recording key file beside it, itself sealed with the store key every gateway is given. The badges,
/// channels and permits are made in the shared database.
/// </summary>
public sealed class SharedSite : IDisposable
{
    private readonly SqlDatabase _database;

    public SharedSite(SqlDatabase database, string connectionString)
    {
        _database = database;
        ConnectionString = connectionString;
        Folder = Directory.CreateTempSubdirectory("wt-site-").FullName;
        Directory.CreateDirectory(Path.Combine(Folder, "keys"));
        File.WriteAllText(StoreKeyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    public string Folder { get; }

    public string ConnectionString { get; }

    /// <summary>The recordings every gateway writes to and reads from.</summary>
    public string Recordings => Path.Combine(Folder, "shared", "recordings");

    public string RecordingKeyPath => Path.Combine(Folder, "shared", "recording.key");

    /// <summary>Each machine's copy of the store key in a real site; one file here.</summary>
    public string StoreKeyFile => Path.Combine(Folder, "keys", "store.key");

    /// <summary>The Matrix bridge's sessions, key stores and outbox, on the folder every gateway sees.</summary>
    public string MatrixDirectory => Path.Combine(Folder, "shared", "matrix");

    public Dictionary<string, string> Secrets { get; } = new();

    private SecretHasher Hasher => new(SiteKey.LoadOrCreate(Folder));

    /// <summary>The site's recordings read back as any of its gateways reads them.</summary>
    public RecordingReader Reader =>
        new(RecordingKeyFile.OpenAt(RecordingKeyPath, Recordings, StoreKeyFile, NullLogger.Instance));

    public SqlRecordingIndex RecordingIndex => new(_database);

    public void AddBadge(string id) => Secrets[id] = new SqlBadgeStore(_database, Hasher).Add(id, id[..1].ToUpperInvariant() + id[1..]);

    /// <summary>Adds a channel, its members each with accepted receive and send permits.</summary>
    public void AddChannel(byte number, params string[] members)
    {
        var channels = new SqlChannelStore(_database);
        channels.Add(number, "ch" + number, 8000, 30);
        var permits = new SqlPermitStore(_database);
        foreach (var member in members)
        {
            channels.Join(number, member);
            permits.Grant(member, number, PermitBits.Known, null, "test", accepted: true);
        }
    }

    /// <summary>
    /// Starts gateway <paramref name="id"/> (its lease owner and MQTT client id) as a client of the broker at
    /// <paramref name="brokerPort"/>, once its HTTP port listens. Its floor lease is longer than the default, so that a
    /// talker's burst held open for a test is still the gateway's when the test kills it, on however loaded a machine.
    /// <paramref name="settings"/> come after the site's own.
    /// </summary>
    public Task<GatewayProcess> StartGatewayAsync(string id, int brokerPort, string brokerUser, string brokerPassword, params string[] settings) =>
        StartGatewayAsync(id, [brokerPort], brokerUser, brokerPassword, settings);

    /// <summary>As above, the gateway given a broker cluster's nodes (<c>Mqtt:ExternalNodes</c>): it connects to the first and moves to the next when its node dies.</summary>
    public Task<GatewayProcess> StartGatewayAsync(string id, int[] brokerPorts, string brokerUser, string brokerPassword, params string[] settings)
    {
        var data = Path.Combine(Folder, id);
        Directory.CreateDirectory(data);
        var httpPort = FreePort.Next();
        return GatewayProcess.StartWithAsync(data, httpPort,
        [
            "--Gateway:Development=true", "--Floor:LeaseSeconds=5", $"--Gateway:RecordingsDirectory={Recordings}", $"--Gateway:RecordingKeyFile={RecordingKeyPath}",
            $"--Matrix:StoreKeyFile={StoreKeyFile}", $"--Sites:GatewayId={id}",
            "--Storage:Provider=postgres", $"--Storage:ConnectionString={ConnectionString}",
            "--Mqtt:Mode=External", $"--Mqtt:ExternalNodes={string.Join(',', brokerPorts.Select(p => $"127.0.0.1:{p}"))}", $"--Mqtt:ExternalUserName={brokerUser}",
            $"--Mqtt:ExternalPassword={brokerPassword}", $"--Mqtt:ExternalClientId={id}", "--Mqtt:TlsPort=0",
            "--Http:BindAddress=127.0.0.1", $"--Http:Port={httpPort}", "--Http:TlsPort=0", .. settings,
        ]);
    }

    /// <summary>Connects a badge to the broker at <paramref name="port"/> and announces it idle, as a badge does; answers once it has its config.</summary>
    /// <param name="mqtt311">Speak MQTT 3.1.1, as real badges do (RabbitMQ speaks no other).</param>
    public async Task<TestBadge> ConnectBadgeAsync(int port, string id, bool mqtt311 = false)
    {
        var badge = await TestBadge.ConnectAsync(port, id, Secrets[id], mqtt311: mqtt311);
        await badge.SendStateAsync(WalkieTalkie.Protocol.Control.BadgeStatus.Idle);
        await badge.WaitForAsync<WalkieTalkie.Protocol.Control.Config>(timeoutMs: 15_000);
        return badge;
    }

    /// <summary>The blocks of a burst's recording as they are on disk now (-1 before its first frame is there).</summary>
    public int BlocksOnDisk(uint burstId)
    {
        try
        {
            return RecordingIndex.Get(burstId) is { } row && File.Exists(row.Path) ? Reader.Read(row.Path).BlockCount : -1;
        }
        catch (InvalidDataException)
        {
            return -1;
        }
    }

    /// <summary>The gateway holding <paramref name="channel"/>'s lease now, as the database says (null when none does).</summary>
    public string? LeaseOwner(byte channel)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT owner FROM channel_leases WHERE channel = @c AND expires_at > clock_timestamp()", connection);
        command.Parameters.AddWithValue("c", (long)channel);
        return command.ExecuteScalar() as string;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }
}
