using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Media;
using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Waveform;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Gateway.Web.Walkie;

namespace WalkieTalkie.Gateway.Web.Console;

/// <summary>
/// The console's recordings: a channel's day of bursts (who, when, how long, complete or not, the channel's retention),
/// one burst as a 16-bit PCM WAV (decrypted here: recordings are sealed at rest; a browser's audio element plays PCM,
/// not IMA ADPCM) and its waveform, and deleting one (admins).
/// </summary>
public static class ConsoleRecordings
{
    public static void MapConsoleRecordings(this RouteGroupBuilder group)
    {
        group.MapGet("/recordings", List);
        group.MapGet("/recordings/{burstId}/audio.wav", Audio);
        group.MapGet("/recordings/{burstId}/waveform", Waveform);
        group.MapDelete("/recordings/{burstId}", DeleteAsync).DisableAntiforgery();
    }

    private static IResult List(HttpContext context, ConsoleAccess access, IRecordingIndex index, CurrentRegistry registry, TimeProvider time)
    {
        var query = context.Request.Query;
        if (!ConsoleQuery.TryChannel(query["channel"], out var channel, out var error)
            || !ConsoleQuery.TryDay(query["day"], query["offset"], time.GetUtcNow(), out var day, out error))
        {
            return Results.BadRequest(new { error });
        }

        var visible = access.VisibleChannelsNow(context.User);
        if (channel is { } asked && !ConsoleAccess.Includes(visible, asked))
        {
            return Results.Json(new { error = $"channel {asked} is not one of yours" }, statusCode: StatusCodes.Status403Forbidden);
        }

        var snapshot = registry.Snapshot;
        IReadOnlyCollection<byte>? channels = channel is { } one ? [one] : visible;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new
        {
            day = day.Day,
            admin = ConsoleAccess.IsAdmin(context.User),
            channels = snapshot.Channels.Where(c => ConsoleAccess.Includes(visible, c.Number)).OrderBy(c => c.Number)
                .Select(c => new { number = c.Number, name = c.Name, retentionDays = c.RetentionDays }),
            recordings = index.Between(day.From, day.To, channels).Select(r => new
            {
                burstId = r.BurstId,
                channel = r.Channel,
                talkerId = r.BadgeId,
                talker = snapshot.Badge(r.BadgeId)?.Name ?? r.BadgeId,
                startedAtMs = r.StartedAtMs,
                durationMs = r.DurationMs,
                complete = r.Complete,
                framesLost = r.FramesLost,
            }),
        }, ConsoleWatchEndpoints.Json);
    }

    private static IResult Audio(HttpContext context, string burstId, ConsoleAccess access, IRecordingIndex index, RecordingReader reader)
    {
        if (!TryOpen(context, burstId, access, index, reader, out var row, out var audio, out var refusal))
        {
            return refusal;
        }

        var wav = new byte[WavWriter.PcmHeaderBytes + audio.Samples.Length * 2];
        WavWriter.WritePcmHeader(wav, 0, audio.SampleRate, audio.Samples.Length);
        Buffer.BlockCopy(audio.Samples, 0, wav, WavWriter.PcmHeaderBytes, audio.Samples.Length * 2);
        var download = context.Request.Query["download"] == "1" ? $"burst-{row.BurstId}-channel-{row.Channel}.wav" : null;
        return Results.File(wav, "audio/wav", download, enableRangeProcessing: true);
    }

    private static IResult Waveform(HttpContext context, string burstId, ConsoleAccess access, IRecordingIndex index, RecordingReader reader)
    {
        if (!TryOpen(context, burstId, access, index, reader, out _, out var audio, out var refusal))
        {
            return refusal;
        }

        return Results.Json(new { durationMs = audio.DurationMilliseconds, points = WaveformThumbnail.Compute(audio.Samples), scale = WaveformThumbnail.Scale },
            ConsoleWatchEndpoints.Json);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string burstId, ConsoleAccess access, IRecordingIndex index,
        IRecordingRetention retention, LiveChannels live, StorageWorker worker, IAntiforgery antiforgery, WebRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!ConsoleAccess.IsAdmin(context.User))
        {
            refusals.Log(context, "delete recording", "not an admin");
            return Results.Json(new { error = "only an admin deletes recordings" }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (!await ConsoleWatchEndpoints.CheckCookieAntiforgeryAsync(context, antiforgery, refusals, "delete recording"))
        {
            return Results.BadRequest(new { error = "antiforgery token missing or invalid" });
        }

        if (!uint.TryParse(burstId, out var id) || index.Get(id) is not { } row)
        {
            return Results.NotFound(new { error = $"no recording {Shorten(burstId)}" });
        }

        if (live.Talking(row.Channel)?.BurstId == id)
        {
            return Results.Conflict(new { error = $"burst {id} is still being recorded" });
        }

        // On the storage worker, in order with the recording's own writes and the retention pass.
        var deleted = await worker.RunAsync(() =>
        {
            if (File.Exists(row.Path))
            {
                File.Delete(row.Path);
            }

            retention.MarkPruned(id);
            return true;
        });
        loggers.CreateLogger(typeof(ConsoleRecordings)).LogInformation("Recording of burst {BurstId} on channel {Channel} deleted by {User} from the console",
            id, row.Channel, context.User.Identity?.Name);
        return deleted ? Results.NoContent() : Results.NotFound();
    }

    /// <summary>Finds a burst the user may hear, on disk, and decodes it; otherwise the answer to send.</summary>
    private static bool TryOpen(HttpContext context, string burstId, ConsoleAccess access, IRecordingIndex index, RecordingReader reader,
        out RecordingRecord row, out BurstAudio audio, out IResult refusal)
    {
        row = null!;
        audio = null!;
        refusal = Results.Empty;
        if (!uint.TryParse(burstId, out var id) || index.Get(id) is not { } found)
        {
            refusal = Results.NotFound(new { error = $"no recording {Shorten(burstId)}" });
            return false;
        }

        if (!ConsoleAccess.Includes(access.VisibleChannelsNow(context.User), found.Channel))
        {
            refusal = Results.Json(new { error = $"recording {id} is on a channel that is not one of yours" }, statusCode: StatusCodes.Status403Forbidden);
            return false;
        }

        try
        {
            var recorded = reader.Read(found.Path);
            audio = recorded.Blocks.Length == 0 ? new BurstAudio([], recorded.SampleRate) : BurstWavReader.Read(recorded.ToWav());
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            refusal = Results.NotFound(new { error = $"the recording of burst {id} is gone (deleted after its channel's retention, or by hand)" });
            return false;
        }
        catch (Exception e) when (e is InvalidDataException or MediaFormatException)
        {
            refusal = Results.Json(new { error = $"the recording of burst {id} cannot be read: {e.Message}" }, statusCode: StatusCodes.Status422UnprocessableEntity);
            return false;
        }

        row = found;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
