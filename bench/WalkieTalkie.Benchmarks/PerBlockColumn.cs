using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// A number derived from a benchmark's mean time per block (ns) and its case's <c>SampleRate</c> parameter:
/// ns per sample, or how many times faster than real time one core runs it.
/// </summary>
internal sealed class PerBlockColumn(string name, string legend, Func<double, int, double> value) : IColumn
{
    public string Id => nameof(PerBlockColumn) + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics == null)
        {
            return "-";
        }

        int rate = (int)benchmarkCase.Parameters["SampleRate"];
        double result = value(statistics.Mean, rate);
        return result >= 100 ? result.ToString("N0") : result.ToString("N2");
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}

/// <summary>The columns of a benchmark whose operation is one block of <see cref="Protocol.Audio.ImaAdpcm.DefaultSamplesPerBlock"/> samples.</summary>
internal sealed class PerBlockColumns : ManualConfig
{
    private const int SamplesPerBlock = Protocol.Audio.ImaAdpcm.DefaultSamplesPerBlock;

    public PerBlockColumns()
    {
        AddColumn(new PerBlockColumn("ns/sample", "Mean time per block / 321", (mean, _) => mean / SamplesPerBlock));
        AddColumn(new PerBlockColumn("x real time", "Block duration (321 / rate) / mean time per block, one core", (mean, rate) => SamplesPerBlock * 1e9 / rate / mean));
    }
}
