using WalkieTalkie.Gateway.Permits;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Permits;

/// <summary>
/// Permits (MSC4002): offered, accepted, withdrawn, revoked, expired; and what the watcher reports. Run against
/// every storage provider.
/// </summary>
public abstract class PermitStoreContract : IDisposable
{
    private readonly RegistryStores _db;
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    protected PermitStoreContract(RegistryStores db)
    {
        _db = db;
        _db.Badges.Add("anna");
        _db.Channels.Add(1, "family");
        _db.Channels.Join(1, "anna");
    }

    public void Dispose()
    {
        _db.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void An_offer_not_yet_accepted_gives_nothing()
    {
        _db.Permits.Grant("anna", 1, PermitBits.Known, null, "mum", accepted: false);
        var snapshot = _db.Snapshot();
        Assert.Equal(0, snapshot.EffectivePermits("anna", 1, _now));
        Assert.False(PermitWatcher.MayHear(snapshot.EffectivePermits("anna", 1, _now)));
        Assert.False(PermitWatcher.MayTalk(snapshot.EffectivePermits("anna", 1, _now)));
    }

    [Fact]
    public void Accepting_part_of_an_offer_holds_that_part_only_and_send_alone_is_not_talking()
    {
        _db.Permits.Grant("anna", 1, PermitBits.Receive, null, "mum", accepted: false);
        Assert.Equal(PermitBits.Receive, _db.Permits.Accept("anna", 1, PermitBits.Known));
        var effective = _db.Snapshot().EffectivePermits("anna", 1, _now);
        Assert.Equal(PermitBits.Receive, effective);
        Assert.True(PermitWatcher.MayHear(effective));
        Assert.False(PermitWatcher.MayTalk(effective));
        Assert.False(PermitWatcher.MayTalk(PermitBits.Send));
        Assert.True(PermitWatcher.MayTalk(PermitBits.Known));
    }

    [Fact]
    public void Accepting_what_was_never_offered_changes_nothing()
    {
        Assert.Null(_db.Permits.Accept("anna", 1, PermitBits.Receive));
        Assert.Empty(_db.Permits.List());
    }

    [Fact]
    public void A_grant_to_a_badge_outside_the_channel_is_refused()
    {
        _db.Channels.Add(2, "work");
        var error = Assert.Throws<RegistryException>(() => _db.Permits.Grant("anna", 2, PermitBits.Receive, null, "boss", true));
        Assert.Contains("not a member", error.Message);
        Assert.Throws<RegistryException>(() => _db.Permits.Grant("anna", 1, 0, null, "boss", true));
        Assert.Throws<RegistryException>(() => _db.Permits.Grant("anna", 1, 4, null, "boss", true));
    }

    [Fact]
    public void A_permit_ends_at_its_time_without_any_change_to_the_registry()
    {
        _db.Permits.Grant("anna", 1, PermitBits.Known, _now.AddSeconds(60), "mum", accepted: true);
        var snapshot = _db.Snapshot();
        var watcher = new PermitWatcher();
        watcher.Check(snapshot, _now, firstLook: true);
        Assert.Equal(PermitBits.Known, watcher.InForce("anna", 1));

        Assert.Empty(watcher.Check(snapshot, _now.AddSeconds(59)));
        var change = Assert.Single(watcher.Check(snapshot, _now.AddSeconds(60)));
        Assert.Equal(new PermitChange("anna", 1, PermitBits.Known, 0, RevokeReason.Expired), change);
        Assert.Equal(0, watcher.InForce("anna", 1));
        Assert.Empty(watcher.Check(snapshot, _now.AddSeconds(61)));
    }

    [Fact]
    public void The_badge_withdraws_and_the_watcher_reports_a_revocation()
    {
        _db.Permits.Grant("anna", 1, PermitBits.Known, null, "mum", accepted: true);
        var watcher = new PermitWatcher();
        watcher.Check(_db.Snapshot(), _now, firstLook: true);

        Assert.Equal(PermitBits.Receive, _db.Permits.Withdraw("anna", 1, PermitBits.Send));
        var change = Assert.Single(watcher.Check(_db.Snapshot(), _now));
        Assert.Equal(new PermitChange("anna", 1, PermitBits.Send, 0, RevokeReason.Revoked), change);

        Assert.Equal(PermitBits.Known, _db.Permits.Accept("anna", 1, PermitBits.Send));
        Assert.Equal(PermitBits.Send, Assert.Single(watcher.Check(_db.Snapshot(), _now)).Gained);
    }

    [Fact]
    public void The_admin_revokes_and_the_permit_is_gone()
    {
        _db.Permits.Grant("anna", 1, PermitBits.Known, null, "mum", accepted: true);
        var watcher = new PermitWatcher();
        watcher.Check(_db.Snapshot(), _now, firstLook: true);
        Assert.True(_db.Permits.Revoke("anna", 1));
        Assert.False(_db.Permits.Revoke("anna", 1));
        Assert.Empty(_db.Permits.List());
        Assert.Equal(RevokeReason.Revoked, Assert.Single(watcher.Check(_db.Snapshot(), _now)).Reason);
    }

    [Fact]
    public void A_new_offer_keeps_only_the_acceptance_it_still_covers()
    {
        _db.Permits.Grant("anna", 1, PermitBits.Known, null, "mum", accepted: true);
        _db.Permits.Grant("anna", 1, PermitBits.Receive, _now.AddHours(1), "dad", accepted: false);
        var permit = Assert.Single(_db.Permits.List());
        Assert.Equal(PermitBits.Receive, permit.Accepted);
        Assert.Equal("dad", permit.OfferedBy);
        Assert.False(permit.OfferSent);
    }

    [Fact]
    public void Leaving_a_channel_drops_its_permits()
    {
        _db.Permits.Grant("anna", 1, PermitBits.Known, null, "mum", accepted: true);
        _db.Channels.Leave(1, "anna");
        Assert.Equal(0, _db.Snapshot().EffectivePermits("anna", 1, _now));
        Assert.Empty(_db.Permits.List());
    }
}

public sealed class SqlitePermitStoreTests() : PermitStoreContract(new SqliteRegistryStores());

public sealed class PostgresPermitStoreTests(PostgresClassDatabase database)
    : PermitStoreContract(new PostgresRegistryStores(database)), IClassFixture<PostgresClassDatabase>;
