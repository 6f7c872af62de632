using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie recording export|prune</c>: a burst as a WAV (recordings are sealed at rest), and retention now.</summary>
public static class RecordingCommands
{
    public static Command Create(Option<string?> data)
    {
        var recording = new Command("recording", "Recordings (sealed at rest): export one as a WAV, delete those past retention");
        var burst = new Argument<uint>("burst") { Description = "The burst id (walkie status shows recent ones)" };
        var output = new Argument<string>("file") { Description = "The WAV file to write (owner-only; replaced if it exists)" };
        var export = new Command("export", "Write a burst's recording as an IMA ADPCM WAV file that sox, ffmpeg and players read")
        {
            burst, output,
        };
        export.SetAction(p => CliServices.Run(p, data, services =>
        {
            var id = p.GetValue(burst);
            var path = p.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new RegistryException("give the WAV file to write");
            }

            var row = services.GetRequiredService<IRecordingIndex>().Get(id) ?? throw new RegistryException($"no burst {id}");
            if (!File.Exists(row.Path))
            {
                throw new RegistryException($"the recording of burst {id} is gone ({row.Path}): deleted after its channel's retention, or by hand");
            }

            var audio = services.GetRequiredService<RecordingReader>().Read(row.Path);
            OwnerOnly.WriteAllBytes(path, audio.ToWav());
            Console.WriteLine($"burst {id} of {row.BadgeId} on channel {row.Channel}: {audio.DurationMs} ms at {audio.SampleRate} Hz" +
                $"{(audio.Finished ? "" : " (cut short: what was recorded)")} -> {Path.GetFullPath(path)}");
        }));

        var prune = new Command("prune", "Delete recordings kept longer than their channel's retention now (the service does it hourly)");
        prune.SetAction(p => CliServices.Run(p, data, services =>
        {
            var count = services.GetRequiredService<RecordingRetention>().PruneAll();
            Console.WriteLine($"deleted {count} recordings past their channel's retention");
        }));

        recording.Add(export);
        recording.Add(prune);
        return recording;
    }
}
