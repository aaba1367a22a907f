annotateDocs([["dalian-daily-2019-economy","大连日报 2019年经济工作回顾（经济版）","2019",137]]);
