using System.Text;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;
using WalkieTalkie.Matrix.Crypto.Primitives;
using WalkieTalkie.Matrix.Crypto.Storage;
using WalkieTalkie.Matrix.Store;
using WalkieTalkie.Matrix.Tests.Machine;

namespace WalkieTalkie.Matrix.Tests.Store;

/// <summary>Every private key and session key a badge holds, in every encoding we or a library might write it in, is
/// looked for in the SQLite file, its WAL and shared memory files, and the logs: none may be found.</summary>
public sealed class NoSecretsInTheClearTests : IDisposable
{
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org";
    private readonly string _dir = Directory.CreateTempSubdirectory("wt-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void No_private_key_or_session_key_is_in_the_store_files_or_the_logs()
    {
        var db = Path.Combine(_dir, "badge.db");
        var logPath = Path.Combine(_dir, "gateway.log");
        var key = new StoreKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var logs = new FileLoggerProvider(logPath);
        var log = logs.CreateLogger("WalkieTalkie.Gateway");

        var server = new InMemoryHomeserver();
        var pump = new MachinePump(server);
        var bob = OlmMachine.Create(Bob, "PHONE");
        pump.Settle(bob);
        pump.Perform(bob, bob.BootstrapCrossSigning());
        var store = CryptoStore.Open(db, key, logs.CreateLogger("WalkieTalkie.Matrix.Store"));
        var alice = store.OpenMachine(Alice, "BADGE1");
        alice.UpdateTrackedUsers([Bob]);
        bob.UpdateTrackedUsers([Alice]);
        foreach (var request in alice.OutgoingRequests())
        {
            log.LogInformation("request {Request}", request);
        }

        pump.Settle(alice, bob);
        var bootstrap = alice.BootstrapCrossSigning();
        foreach (var request in bootstrap)
        {
            log.LogInformation("request {Request}", request);
        }

        pump.Perform(alice, bootstrap);
        pump.Settle(alice, bob);
        // Olm both ways (a sender chain and a receiver chain), Megolm both ways.
        foreach (var request in pump.Share(alice, "!a:example.org", [Bob]))
        {
            log.LogInformation("request {Request}", request);
        }

        pump.Share(bob, "!b:example.org", [Alice]);
        var ours = alice.EncryptRoomEvent("!a:example.org", "m.room.message", """{"body":"from the badge"}""");
        var theirs = bob.EncryptRoomEvent("!b:example.org", "m.room.message", """{"body":"from the phone"}""");
        store.SaveChanges(alice.TakeChanges(), "s1");
        var sync = server.Sync(Alice, "BADGE1");
        foreach (var processed in alice.ReceiveSyncChanges(sync))
        {
            log.LogInformation("to-device {Event}", processed);
        }

        var decrypted = alice.DecryptRoomEvent("!b:example.org",
            $$"""{"type":"m.room.encrypted","sender":"{{Bob}}","event_id":"$1","origin_server_ts":1,"content":{{theirs}}}""");
        log.LogInformation("room event {Event}", decrypted);
        store.SaveChanges(alice.TakeChanges(), "s2");
        log.LogInformation("encrypted {Content}", ours);

        var secrets = Secrets(store.LoadState());
        foreach (var kind in new[] { "one-time/fallback key", "master seed", "olm root key", "olm ratchet private key", "olm receiver chain key",
                     "inbound megolm export", "outbound megolm ratchet", "outbound megolm session key" })
        {
            Assert.Contains(secrets, s => s.Item1.StartsWith(kind, StringComparison.Ordinal));
        }

        AssertNoneFound(secrets, db, logPath); // while open: the WAL holds the recent transactions
        store.Dispose();
        logs.Dispose();
        AssertNoneFound(secrets, db, logPath);
    }

    private static void AssertNoneFound(List<(string What, byte[] Secret)> secrets, string db, string logPath)
    {
        var files = new[] { db, db + "-wal", db + "-shm", db + "-journal", logPath }.Where(File.Exists).ToList();
        Assert.Contains(logPath, files);
        Assert.True(new FileInfo(logPath).Length > 0);
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(file);
            foreach (var (what, secret) in secrets)
            {
                foreach (var (encoding, needle) in Encodings(secret))
                {
                    Assert.False(content.AsSpan().IndexOf(needle) >= 0, $"{what} found as {encoding} in {Path.GetFileName(file)}");
                }
            }
        }
    }

    private static IEnumerable<(string, byte[])> Encodings(byte[] secret)
    {
        yield return ("raw bytes", secret);
        yield return ("base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(secret)));
        yield return ("unpadded base64", Encoding.ASCII.GetBytes(UnpaddedBase64.Encode(secret)));
        yield return ("unpadded base64url", Encoding.ASCII.GetBytes(UnpaddedBase64.EncodeUrl(secret)));
        // Inside a longer base64 string (a session key, an export) the secret may start at any byte offset mod 3:
        // look for the characters that depend on the secret alone, at each offset.
        for (var offset = 1; offset < 3; offset++)
        {
            var shifted = Convert.ToBase64String([.. new byte[offset], .. secret]);
            var inner = shifted[4..((offset + secret.Length) / 3 * 4)];
            yield return ($"base64 at offset {offset}", Encoding.ASCII.GetBytes(inner));
            yield return ($"base64url at offset {offset}", Encoding.ASCII.GetBytes(inner.Replace('+', '-').Replace('/', '_')));
        }
        yield return ("hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret)));
        yield return ("HEX", Encoding.ASCII.GetBytes(Convert.ToHexString(secret)));
    }

    /// <summary>Every secret of the saved state, read back from the store.</summary>
    private static List<(string, byte[])> Secrets(MachineState state)
    {
        var secrets = new List<(string, byte[])>();
        var account = OlmAccount.FromStateBytes(state.Account);
        secrets.Add(("account ed25519 seed", account.SigningKey.Seed));
        secrets.Add(("account curve25519 private key", account.IdentityKey.PrivateKey));
        foreach (var otk in account.OneTimeKeys.Concat([account.FallbackKey, account.PreviousFallbackKey]).OfType<OneTimeKey>())
        {
            secrets.Add(("one-time/fallback key " + otk.KeyId, otk.Key.PrivateKey));
        }

        var identity = CrossSigningIdentity.FromStateBytes(state.CrossSigning!);
        secrets.Add(("master seed", identity.MasterKeyPair.Seed));
        secrets.Add(("self-signing seed", identity.SelfSigningKeyPair.Seed));
        secrets.Add(("user-signing seed", identity.UserSigningKeyPair.Seed));
        foreach (var (_, bytes) in state.OlmSessions)
        {
            var session = OlmSession.FromStateBytes(bytes);
            secrets.Add(("olm root key", session.RootKey));
            if (session.Sender is { } sender)
            {
                secrets.Add(("olm ratchet private key", sender.RatchetKey.PrivateKey));
                secrets.Add(("olm sender chain key", sender.Chain.Key));
                secrets.Add(("olm next message key", sender.Chain.MessageKey()));
            }
            foreach (var receiver in session.Receivers)
            {
                secrets.Add(("olm receiver chain key", receiver.Chain.Key));
                secrets.Add(("olm receiver message key", receiver.Chain.MessageKey()));
            }
            foreach (var skipped in session.Skipped)
            {
                secrets.Add(("olm skipped message key", skipped.MessageKey));
            }
        }
        foreach (var roomKey in state.RoomKeys)
        {
            var session = InboundGroupSession.FromStateBytes(roomKey.State);
            AddRatchet(secrets, "inbound megolm initial ratchet", session.Initial.Data);
            AddRatchet(secrets, "inbound megolm latest ratchet", session.Latest.Data);
            secrets.Add(("inbound megolm export", Encoding.ASCII.GetBytes(session.Export())));
            secrets.Add(("inbound megolm export bytes", UnpaddedBase64.Decode(session.Export())));
        }
        foreach (var (_, bytes) in state.OutboundSessions)
        {
            var session = OutboundGroupSession.FromStateBytes(bytes);
            AddRatchet(secrets, "outbound megolm ratchet", session.Ratchet.Data);
            secrets.Add(("outbound megolm signing seed", session.SigningKey.Seed));
            secrets.Add(("outbound megolm session key", Encoding.ASCII.GetBytes(session.SessionKey)));
            secrets.Add(("outbound megolm session key bytes", UnpaddedBase64.Decode(session.SessionKey)));
        }
        return secrets;
    }

    private static void AddRatchet(List<(string, byte[])> secrets, string what, byte[] data)
    {
        secrets.Add((what, data));
        for (var part = 0; part < 4; part++)
        {
            secrets.Add(($"{what} part {part}", data[(part * 32)..((part + 1) * 32)]));
        }
    }

    /// <summary>A plain file logger: what a gateway's log file would hold, message and exception text included.</summary>
    private sealed class FileLoggerProvider(string path) : ILoggerProvider
    {
        private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };

        public ILogger CreateLogger(string categoryName) => new FileLogger(_writer, categoryName);
        public void Dispose() => _writer.Dispose();

        private sealed class FileLogger(StreamWriter writer, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (writer)
                {
                    writer.WriteLine($"{logLevel} {category}: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
