using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>Burst ids from blocks reserved in the shared database, against every storage provider.</summary>
public abstract class BurstIdBlocksContract(RegistryStores db) : IDisposable
{
    private readonly RegistryStores _db = db;
    private readonly StorageWorker _worker = new();

    private BurstIdBlocks Source(uint atLeast = 1)
    {
        var source = new BurstIdBlocks(_db.OpenBurstIds(), _worker, NullLogger<BurstIdBlocks>.Instance);
        source.Start(atLeast);
        return source;
    }

    [Fact]
    public async Task Two_gateways_on_one_database_never_hand_out_the_same_id_and_each_ones_ids_grow()
    {
        var a = Source();
        var b = Source();
        var fromA = new List<uint>();
        var fromB = new List<uint>();
        for (var i = 0; i < 5 * BurstIdBlocks.BlockSize; i++)
        {
            fromA.Add(a.Next());
            fromB.Add(b.Next());
            if (i % 20 == 0)
            {
                await _worker.RunAsync(() => { }); // let the worker reserve ahead, as it does between bursts
            }
        }

        Assert.Empty(fromA.Intersect(fromB));
        Assert.Equal(fromA.Order(), fromA);
        Assert.Equal(fromB.Order(), fromB);
        Assert.Equal(fromA.Count, fromA.Distinct().Count());
    }

    [Fact]
    public void A_restart_continues_past_every_id_reserved_before_and_past_ids_in_use()
    {
        var first = Source();
        var before = Enumerable.Range(0, 10).Select(_ => first.Next()).ToList();

        var restarted = Source();
        Assert.True(restarted.Next() > before.Max());

        var past = Source(atLeast: 10_000);
        Assert.True(past.Next() >= 10_000);
    }

    [Fact]
    public void Ids_keep_coming_when_the_next_block_was_not_reserved_ahead()
    {
        var source = Source();
        _worker.Dispose(); // nothing reserves ahead any more (work posted now runs on the caller's thread)
        var ids = Enumerable.Range(0, 3 * BurstIdBlocks.BlockSize).Select(_ => source.Next()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    public void Dispose()
    {
        _worker.Dispose();
        _db.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteBurstIdBlocksTests() : BurstIdBlocksContract(new SqliteRegistryStores());

public sealed class PostgresBurstIdBlocksTests(PostgresClassDatabase database)
    : BurstIdBlocksContract(new PostgresRegistryStores(database)), IClassFixture<PostgresClassDatabase>;
