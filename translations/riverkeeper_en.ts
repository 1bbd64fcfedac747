<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>FitCheck</name>
    <message numerus="yes">
        <source>It needs %n core(s); NUMA node %1 of %2 has %3.</source>
        <translation>
            <numerusform>It needs %n core; NUMA node %1 of %2 has %3.</numerusform>
            <numerusform>It needs %n cores; NUMA node %1 of %2 has %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>It needs %n core(s); node %1 has %2.</source>
        <translation>
            <numerusform>It needs %n core; node %1 has %2.</numerusform>
            <numerusform>It needs %n cores; node %1 has %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>It needs %n core(s); %1 of %2 are free on %3.</source>
        <translation>
            <numerusform>It needs %n core; %1 of %2 are free on %3.</numerusform>
            <numerusform>It needs %n cores; %1 of %2 are free on %3.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rk::ApprovalQueueModel</name>
    <message numerus="yes">
        <source>Asks for %n GPU(s)</source>
        <translation>
            <numerusform>Asks for %n GPU</numerusform>
            <numerusform>Asks for %n GPUs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rk::MainWindow</name>
    <message numerus="yes">
        <source>%n task(s) waiting for approval</source>
        <translation>
            <numerusform>%n task waiting for approval</numerusform>
            <numerusform>%n tasks waiting for approval</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rk::TrayController</name>
    <message numerus="yes">
        <source>%n task(s) waiting for approval at the last check</source>
        <translation>
            <numerusform>%n task waiting for approval at the last check</numerusform>
            <numerusform>%n tasks waiting for approval at the last check</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) waiting for approval</source>
        <translation>
            <numerusform>%n task waiting for approval</numerusform>
            <numerusform>%n tasks waiting for approval</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more in Riverkeeper…</source>
        <translation>
            <numerusform>%n more in Riverkeeper…</numerusform>
            <numerusform>%n more in Riverkeeper…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new task(s) waiting for approval</source>
        <translation>
            <numerusform>%n new task waiting for approval</numerusform>
            <numerusform>%n new tasks waiting for approval</numerusform>
        </translation>
    </message>
</context>
</TS>
