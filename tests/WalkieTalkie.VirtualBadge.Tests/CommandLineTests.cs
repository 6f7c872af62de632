using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.VirtualBadge.Cli;

namespace WalkieTalkie.Badge.Simulation.Tests;

/// <summary>The command line, run in-process.</summary>
public class CommandLineTests
{
    private static Task<int> Run(params string[] args) => RunCommand.Create().Parse(args).InvokeAsync();

    [Fact]
    public async Task A_bad_badge_is_reported_with_exit_code_2()
    {
        Assert.Equal(2, await Run("--badge", "Not A Badge", "--duration", "1"));
        Assert.Equal(2, await Run("--badge", "kid-1,mic=/nonexistent/file.wav", "--duration", "1"));
        Assert.Equal(2, await Run("--broker", "localhost", "--badge", "kid-1"));
        Assert.Equal(2, await Run("--duration", "1"));
    }

    [Fact]
    public async Task A_scripted_run_writes_a_wav_and_a_log_per_badge()
    {
        var folder = Directory.CreateTempSubdirectory("wt-vb-cli-").FullName;
        try
        {
            var spoken = Speech.Say("Testing one two three.", Path.Combine(folder, "spoken.wav"));
            using var broker = Mosquitto.Start();
            await using var relay = await MiniRelay.StartAsync(broker.Port, "kid-1", "mum");
            var output = Path.Combine(folder, "out");

            var code = await Run("--broker", $"127.0.0.1:{broker.Port}", "--out-dir", output, "--quiet", "--duration", "6",
                "--badge", $"kid-1,mic={spoken},ptt=0.2-3.5", "--badge", "mum");

            Assert.Equal(0, code);
            Assert.Contains("floor granted", File.ReadAllText(Path.Combine(output, "kid-1.log")));
            Assert.Contains("played burst", File.ReadAllText(Path.Combine(output, "mum.log")));
            var heard = PcmClip.Load(Path.Combine(output, "mum.wav"));
            Assert.Contains(heard.Samples, s => Math.Abs((int)s) > 1000);
            Assert.True(File.Exists(Path.Combine(output, "kid-1.wav")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
