using System.Globalization;
using System.Text;

namespace Modernizer.Portfolio.Tests;

/// <summary>A small workspace with every catalog form and finops export, each planted edge case
/// named in a comment. Dates: March 2026, across the US DST switch on 2026-03-08.</summary>
internal static class MiniWorld
{
    public static TempWorkspace Create()
    {
        var ws = new TempWorkspace();
        var runs = new StringBuilder("job_id,run_id,start_time,end_time,status,rows_read,rows_written,bytes_read,bytes_written\n");
        for (var day = 1; day <= 9; day++)
        {
            // orders_daily starts 09:00 UTC and ends 10:30 UTC: 05:30 EST (on time) before the DST switch, 06:30 EDT (late) from 2026-03-08.
            var status = day == 5 ? "FAILED" : "SUCCESS";
            runs.Append(CultureInfo.InvariantCulture, $"orders_daily,o{day},2026-03-0{day}T09:00:00+00:00,2026-03-0{day}T10:30:00+00:00,{status},1000,900,10000,9000\n");
            runs.Append(CultureInfo.InvariantCulture, $"inventory_sync,i{day},2026-03-0{day}T01:00:00Z,2026-03-0{day}T01:05:00Z,SUCCESS,50,50,,\n");
        }

        runs.Append("orders_daily,bad1,not-a-time,2026-03-02T10:30:00+00:00,SUCCESS,1,1,1,1\n"); // unreadable timestamp
        runs.Append("orders_daily,bad2,2026-03-02T09:00:00Z,2026-03-02T10:30:00Z,SUCCESS,many,1,1,1\n"); // unreadable number
        ws.Write("catalog/runs.csv", runs.ToString());
        ws.Write("catalog/jobs.csv", """
            job_id,name,schedule,owner,tags,code_path,last_modified
            orders_daily,Orders daily,0 2 * * *,team-a,finance;SOX,jobs/orders_daily,2024-01-15
            inventory_sync,Inventory sync,,team-b,,,2025-12-01T00:00:00Z
            """);
        ws.Write("jobs/orders_daily/job.yaml", """
            name: Orders daily revenue
            schedule: "0 2 * * *"
            owner: team-a
            tags: [finance, SOX]
            catalog: {source: simple, job_id: orders_daily}
            """);
        ws.Write("jobs/orders_daily/main.py", string.Concat(Enumerable.Repeat("x = 1\n", 120)));

        // Lakeflow: SCD2 (101 renamed, 102 deleted), job ids unique only per workspace (222/101), a periodic trigger.
        ws.Write("catalog/lakeflow/jobs.csv", """
            account_id,workspace_id,job_id,name,description,creator_id,tags,change_time,delete_time,run_as,trigger,paused
            acc,111,101,Billing old,,u1,{},2025-01-01T00:00:00Z,,svc,,false
            acc,111,101,Billing ETL,,u1,"{""team"":""fin"",""compliance"":""GDPR""}",2025-06-01T00:00:00Z,,svc,"{""schedule"":{""quartz_cron_expression"":""0 0 3 * * ?"",""timezone_id"":""UTC"",""pause_status"":""UNPAUSED""}}",false
            acc,111,102,Dropped job,,u1,{},2025-01-01T00:00:00Z,,svc,,false
            acc,111,102,Dropped job,,u1,{},2025-07-01T00:00:00Z,2025-07-01T00:00:00Z,svc,,false
            acc,111,103,Hourly feed,,u2,{},2025-03-01T00:00:00Z,,svc,"{""periodic"":{""interval"":1,""unit"":""HOURS""}}",false
            acc,222,101,Other workspace job,,u3,{},2025-02-01T00:00:00Z,,svc,,false
            """);
        var timeline = new StringBuilder();
        void Slice(string ws2, string job, string run, string start, string end, string? state, string? runName = null) =>
            timeline.Append(CultureInfo.InvariantCulture,
                $"{{\"workspace_id\":\"{ws2}\",\"job_id\":\"{job}\",\"run_id\":\"{run}\",\"period_start_time\":\"{start}\",\"period_end_time\":\"{end}\",\"trigger_type\":\"CRON\",\"run_type\":\"JOB_RUN\",\"run_name\":{(runName is null ? "null" : $"\"{runName}\"")},\"result_state\":{(state is null ? "null" : $"\"{state}\"")}}}\n");
        // Run 5001 lasts 2.5 hours: three hourly slices, only the last carries result_state.
        Slice("111", "101", "5001", "2026-03-09T03:00:00Z", "2026-03-09T04:00:00Z", null);
        Slice("111", "101", "5001", "2026-03-09T04:00:00Z", "2026-03-09T05:00:00Z", null);
        Slice("111", "101", "5001", "2026-03-09T05:00:00Z", "2026-03-09T05:30:00Z", "SUCCEEDED");
        Slice("111", "101", "5002", "2026-03-08T03:00:00Z", "2026-03-08T03:20:00Z", "ERROR");
        Slice("222", "101", "7001", "2026-03-09T03:00:00Z", "2026-03-09T03:10:00Z", "SUCCEEDED");
        Slice("111", "102", "6001", "2026-03-09T03:00:00Z", "2026-03-09T03:10:00Z", "SUCCEEDED"); // deleted job
        for (var h = 0; h < 6; h++)
        {
            Slice("111", "103", $"90{h}", $"2026-03-09T0{h}:00:00Z", $"2026-03-09T0{h}:05:00Z", "SUCCEEDED");
        }

        for (var d = 1; d <= 6; d++)
        {
            Slice("111", "999", $"800{d}", $"2026-03-0{d}T04:00:00Z", $"2026-03-0{d}T04:40:00Z", "SUCCEEDED", "mystery_loader"); // no metadata anywhere
        }

        timeline.Append("not json at all\n");
        ws.Write("catalog/lakeflow/job_run_timeline.jsonl", timeline.ToString());
        ws.Write("catalog/lakeflow/job_tasks.csv", """
            account_id,workspace_id,job_id,task_key,depends_on_keys,change_time,delete_time,run_job_id
            acc,111,101,ingest,[],2025-06-01T00:00:00Z,,
            acc,111,101,call_feed,"[""ingest""]",2025-06-01T00:00:00Z,,103
            """);
        ws.Write("catalog/lineage/table_lineage.csv", """
            source_table_full_name,target_table_full_name,entity_type,entity_id,entity_run_id,event_time,workspace_id
            ,main.raw.feed,JOB,103,900,2026-03-09T00:05:00Z,111
            main.raw.feed,main.curated.billing,JOB,101,5001,2026-03-09T05:30:00Z,111
            """);

        // Airflow
        ws.Write("catalog/airflow/dag.csv", """
            dag_id,is_paused,is_active,schedule_interval,fileloc,owners,description,last_parsed_time,tags
            sales_dag,false,true,@daily,/dags/sales.py,team-c,Sales,2026-03-01T00:00:00Z,"[""sales""]"
            """);
        ws.Write("catalog/airflow/dag_run.csv", """
            dag_id,run_id,logical_date,start_date,end_date,state,run_type
            sales_dag,scheduled__1,2026-03-07T00:00:00Z,2026-03-08T00:00:10Z,2026-03-08T00:10:10Z,success,scheduled
            sales_dag,scheduled__2,2026-03-08T00:00:00Z,2026-03-09T00:00:10Z,2026-03-09T00:20:10Z,failed,scheduled
            """);
        ws.Write("catalog/airflow/task_instance.csv", """
            dag_id,task_id,run_id,start_date,end_date,duration,state,try_number,operator,upstream_task_ids
            sales_dag,extract,scheduled__1,2026-03-08T00:00:10Z,2026-03-08T00:05:10Z,300,success,1,PythonOperator,[]
            sales_dag,load,scheduled__1,2026-03-08T00:05:10Z,2026-03-08T00:10:10Z,300,success,1,PythonOperator,"[""extract""]"
            """);

        // FinOps: the price changes on 2026-03-01; March usage of 111/101 is retracted and restated.
        ws.Write("finops/billing/list_prices.csv", """
            price_start_time,price_end_time,account_id,sku_name,cloud,currency_code,usage_unit,pricing
            2025-01-01T00:00:00Z,2026-03-01T00:00:00Z,acc,JOBS_COMPUTE,AWS,USD,DBU,"{""default"": ""0.15"", ""effective_list"": {""default"": ""0.15""}}"
            2026-03-01T00:00:00Z,,acc,JOBS_COMPUTE,AWS,USD,DBU,"{""default"": ""0.20"", ""effective_list"": {""default"": ""0.20""}}"
            """);
        ws.Write("finops/billing/usage.csv", """
            account_id,workspace_id,record_id,sku_name,cloud,usage_start_time,usage_end_time,usage_date,custom_tags,usage_unit,usage_quantity,usage_metadata,identity_metadata,record_type,ingestion_date,billing_origin_product,usage_type
            acc,111,r1,JOBS_COMPUTE,AWS,2026-02-15T03:00:00Z,2026-02-15T04:00:00Z,2026-02-15,{},DBU,1000,"{""job_id"":""101"",""job_run_id"":""4001"",""job_name"":""Billing ETL""}",{},ORIGINAL,2026-02-16,JOBS,COMPUTE_TIME
            acc,111,r2,JOBS_COMPUTE,AWS,2026-03-05T03:00:00Z,2026-03-05T04:00:00Z,2026-03-05,{},DBU,1000,"{""job_id"":""101"",""job_run_id"":""5000"",""job_name"":""Billing ETL""}",{},ORIGINAL,2026-03-06,JOBS,COMPUTE_TIME
            acc,111,r3,JOBS_COMPUTE,AWS,2026-03-05T03:00:00Z,2026-03-05T04:00:00Z,2026-03-05,{},DBU,-1000,"{""job_id"":""101"",""job_run_id"":""5000"",""job_name"":""Billing ETL""}",{},RETRACTION,2026-03-07,JOBS,COMPUTE_TIME
            acc,111,r4,JOBS_COMPUTE,AWS,2026-03-05T03:00:00Z,2026-03-05T04:00:00Z,2026-03-05,{},DBU,4500,"{""job_id"":""101"",""job_run_id"":""5000"",""job_name"":""Billing ETL""}",{},RESTATEMENT,2026-03-07,JOBS,COMPUTE_TIME
            acc,111,r5,JOBS_COMPUTE,AWS,2026-03-02T03:00:00Z,2026-03-02T04:00:00Z,2026-03-02,{},DBU,50000,"{""job_id"":""103"",""job_run_id"":""900"",""job_name"":""Hourly feed""}",{},ORIGINAL,2026-03-03,JOBS,COMPUTE_TIME
            """);
        ws.Write("finops/costs.csv", """
            job_id,month,cost_usd,source
            111-101,2026-02,150.00,finance
            111-101,2026-03,100.00,finance
            111-103,2026-03,3000.00,finance
            orders_daily,2026-03,2500.00,finance
            """);
        ws.Write("finops/tickets.csv", """
            ticket_id,job_id,job_name_hint,opened_at,severity,category,summary,downstream_impact
            T1,orders_daily,,2026-03-09T12:00:00-05:00,Sev-2,data_quality,Revenue dashboard stale again,true
            T2,,Hourly feed,2026-03-05T10:00:00Z,Sev-3,failure,feed late,false
            T3,,,2026-03-06T10:00:00Z,Sev-4,question,"The inventory_sync job keeps timing out, please check",false
            T4,,,2026-03-06T11:00:00Z,Sev-4,question,Printer on floor 3 is broken,false
            """);
        ws.Write("finops/slas.csv", """
            job_id,deadline,timezone
            orders_daily,06:00,America/New_York
            """);
        return ws;
    }
}
