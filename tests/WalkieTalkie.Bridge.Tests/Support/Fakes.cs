using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Bridge.Tests.Support;

/// <summary>The recorder's feed: bursts stay until acknowledged, and survive a "restart" (a new bridge on the same fakes).</summary>
internal sealed class FakeFeed : IBurstFeed
{
    private readonly List<FinishedBurst> _waiting = [];
    public int FailNextAcknowledgements;

    public void Add(FinishedBurst burst) => _waiting.Add(burst);
    public int Waiting => _waiting.Count;

    public ValueTask<FinishedBurst?> PeekAsync(string channel, CancellationToken ct) =>
        ValueTask.FromResult(_waiting.FirstOrDefault(b => b.Channel == channel));

    public ValueTask AcknowledgeAsync(FinishedBurst burst, CancellationToken ct)
    {
        if (FailNextAcknowledgements > 0)
        {
            FailNextAcknowledgements--;
            throw new IOException("power cut before the acknowledgement");
        }
        _waiting.Remove(burst);
        return ValueTask.CompletedTask;
    }
}

internal sealed class FakeSilence : ISilenceTest
{
    public readonly HashSet<uint> Silent = [];
    public ValueTask<bool> IsSilenceOnlyAsync(FinishedBurst burst, CancellationToken ct) => ValueTask.FromResult(Silent.Contains(burst.BurstId));
}

/// <summary>"Transcodes" a burst to bytes naming it; decodes only bytes that start like an Ogg file.</summary>
internal sealed class FakeTranscoder : IVoiceTranscoder
{
    public readonly HashSet<uint> Corrupt = [];
    public readonly List<int> DecodeRates = [];
    public int Encodes;

    public ValueTask<EncodedVoice> EncodeAsync(FinishedBurst burst, CancellationToken ct)
    {
        if (Corrupt.Contains(burst.BurstId))
        {
            throw new UnusableAudioException($"recording {burst.RecordingPath} is truncated");
        }

        Encodes++;
        return ValueTask.FromResult(new EncodedVoice(Encoding.ASCII.GetBytes($"OggS burst {burst.BurstId}"), 2_000, Enumerable.Repeat(512, 100).ToArray()));
    }

    public ValueTask<ChannelAudio> DecodeAsync(byte[] oggOpus, int sampleRate, CancellationToken ct)
    {
        if (!Encoding.ASCII.GetString(oggOpus).StartsWith("OggS", StringComparison.Ordinal))
        {
            throw new UnusableAudioException("not an Ogg stream (no OggS capture pattern)");
        }

        DecodeRates.Add(sampleRate);
        return ValueTask.FromResult(new ChannelAudio(sampleRate, [oggOpus], 1_000));
    }
}

/// <summary>Uploads and downloads; fails like a homeserver that is away while <see cref="Up"/> is false.</summary>
internal sealed class FakeMedia : IMediaTransfer
{
    public bool Up = true;
    public readonly Dictionary<string, byte[]> Files = new();
    public readonly List<string> Uploads = [];

    public ValueTask<UploadedVoice> UploadVoiceAsync(string sendAs, string roomId, byte[] oggOpus, CancellationToken ct)
    {
        if (!Up)
        {
            throw new HttpRequestException("connection refused (homeserver away)");
        }

        var url = $"mxc://example.org/m{Files.Count}";
        Files[url] = oggOpus;
        Uploads.Add(url);
        var file = new JsonObject { ["url"] = url, ["key"] = new JsonObject { ["k"] = "K" }, ["iv"] = "IV", ["hashes"] = new JsonObject { ["sha256"] = "H" }, ["v"] = "v2" };
        return ValueTask.FromResult(UploadedVoice.Encrypted(file, oggOpus.Length));
    }

    public ValueTask<byte[]> DownloadVoiceAsync(string roomId, VoiceSource source, CancellationToken ct)
    {
        if (!Up)
        {
            throw new HttpRequestException("connection refused (homeserver away)");
        }

        return Files.TryGetValue(source.Url, out var bytes)
            ? ValueTask.FromResult(bytes)
            : throw new UnusableAudioException($"{source.Url} not found");
    }
}

/// <summary>A persistent outbox, idempotent per transaction id; <see cref="Deliver"/> is the homeserver accepting what waits, in order.</summary>
internal sealed class FakeOutbox : IRoomSender
{
    public readonly List<OutboxMessage> Messages = [];
    public readonly Dictionary<string, string> Sent = new();
    public bool Up = true;
    public int Enqueues;
    private int _next = 1;

    public ValueTask EnqueueAsync(OutboxMessage message, CancellationToken ct)
    {
        Enqueues++;
        if (Messages.All(m => m.TransactionId != message.TransactionId))
        {
            Messages.Add(message);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<string?> SentEventIdAsync(string transactionId, CancellationToken ct) =>
        ValueTask.FromResult(Sent.GetValueOrDefault(transactionId));

    /// <summary>Sends everything waiting, in order; returns (transaction, event id) for each, for the adapter to report.</summary>
    public List<(string Transaction, string EventId)> Deliver()
    {
        var delivered = new List<(string, string)>();
        if (!Up)
        {
            return delivered;
        }

        foreach (var m in Messages.Where(m => !Sent.ContainsKey(m.TransactionId)))
        {
            var eventId = $"$ev{_next++}";
            Sent[m.TransactionId] = eventId;
            delivered.Add((m.TransactionId, eventId));
        }
        return delivered;
    }

    public List<OutboxMessage> Voice => Messages.Where(m => m.EventType == "m.room.message").ToList();
    public string EventOf(OutboxMessage m) => Sent[m.TransactionId];
}

internal sealed class FakePlayer : IBadgePlayer
{
    public readonly List<(string Channel, ChannelAudio Audio, string Talker, uint BurstId)> Queued = [];
    public readonly List<string> EventIds = [];
    private uint _next = 1000;

    public ValueTask<uint> QueueAsync(string channel, ChannelAudio audio, string talkerName, string senderUserId, string eventId, CancellationToken ct)
    {
        var id = _next++;
        Queued.Add((channel, audio, talkerName, id));
        EventIds.Add(eventId);
        return ValueTask.FromResult(id);
    }
}

internal sealed class FakeReceipts : IReceiptSender
{
    public readonly List<(string User, string Room, string EventId)> Sent = [];

    public ValueTask SendReadReceiptAsync(string asUser, string roomId, string eventId, CancellationToken ct)
    {
        Sent.Add((asUser, roomId, eventId));
        return ValueTask.CompletedTask;
    }
}

internal sealed class FakePermitTable : IPermitTable
{
    public readonly List<BadgeAccount> Badges = [];
    public readonly Dictionary<string, GatewayPermit> Rows = new();
    public readonly List<GatewayPermitChange> Applied = [];

    public IReadOnlyList<BadgeAccount> BadgesOf(string channel) => Badges;
    public IReadOnlyList<GatewayPermit> RowsOf(string channel) => Rows.Values.Where(r => r.Channel == channel).ToList();

    public void Apply(GatewayPermitChange change)
    {
        Applied.Add(change);
        var badge = Badges.Single(b => b.BadgeId == change.BadgeId);
        var row = Rows.GetValueOrDefault(change.BadgeId) ?? new GatewayPermit(badge.BadgeId, badge.Device, change.Channel, GatewayConsent.None, GatewayGrant.None);
        Rows[change.BadgeId] = change switch
        {
            ConsentChanged c => row with { Consent = c.Consent },
            GrantChanged g => row with { Grant = g.Grant },
            _ => row,
        };
    }
}

internal sealed class MemoryBurstIndex : IBurstIndex
{
    private readonly Dictionary<uint, BurstLink> _links = new();
    public int FailNextSaves;

    public BurstLink? Find(uint burstId) => _links.GetValueOrDefault(burstId);
    public BurstLink? FindByTransaction(string transactionId) => _links.Values.FirstOrDefault(l => l.TransactionId == transactionId);
    public BurstLink? FindByEvent(string eventId) => _links.Values.FirstOrDefault(l => l.EventId == eventId);

    public void Save(BurstLink link)
    {
        if (FailNextSaves > 0)
        {
            FailNextSaves--;
            throw new IOException("power cut before the index was written");
        }
        _links[link.BurstId] = link;
    }
}

internal sealed class ListLog : IBridgeLog
{
    public readonly List<(BridgeLogLevel Level, string Message)> Lines = [];
    public void Write(BridgeLogLevel level, string message) => Lines.Add((level, message));
    public bool Has(BridgeLogLevel level, string part) => Lines.Any(l => l.Level == level && l.Message.Contains(part));
}
