using System.Collections;
using System.Management.Automation;

namespace CfManagement.Bench;

/// <summary>
/// The host-side consumer that only counts: PowerShell.Invoke(input, output) adds every object the pipeline writes
/// to this list, which keeps none of them (so N events cost no memory here and nothing but a count).
/// </summary>
public sealed class CountingOutput : IList<PSObject>
{
    public int Count { get; private set; }
    public bool IsReadOnly => false;

    public void Add(PSObject item) => Count++;
    public void Insert(int index, PSObject item) => Count++;
    public void Clear() => Count = 0;

    public PSObject this[int index] { get => throw Kept(); set => throw Kept(); }
    public int IndexOf(PSObject item) => throw Kept();
    public bool Contains(PSObject item) => throw Kept();
    public void CopyTo(PSObject[] array, int arrayIndex) => throw Kept();
    public bool Remove(PSObject item) => throw Kept();
    public void RemoveAt(int index) => throw Kept();
    public IEnumerator<PSObject> GetEnumerator() => throw Kept();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static NotSupportedException Kept() => new("CountingOutput keeps no objects, only their count");
}
